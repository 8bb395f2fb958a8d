package io.jpm.launcher;

import io.jpm.process.LaunchSpec;
import io.jpm.process.ProcessLauncher;
import io.jpm.process.Signal;
import java.io.IOException;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * The launcher the daemon spawns with: {@link PosixSpawnLauncher} where the system has what it
 * needs (Linux 5.3+, glibc 2.34+), which is also the only one that can pass a descriptor to an
 * app; {@link NuProcessLauncher} elsewhere. {@code JPM_LAUNCHER=nuprocess} in the daemon's
 * environment picks NuProcess anyway (to compare the two, or to step around a problem).
 *
 * <p>The choice is made at the first spawn, not when the daemon starts: checking libc loads JNA,
 * which an idle daemon does without (its start-up time and RSS are measured).
 */
public final class Launchers {
  /** The daemon's environment variable that names a launcher: {@code posix_spawn} or {@code nuprocess}. */
  public static final String ENV = "JPM_LAUNCHER";
  private static final Logger LOG = Logger.getLogger("jpm.launcher");

  private Launchers() {}

  /** The launcher for this system, chosen when first needed. */
  public static ProcessLauncher forThisSystem() {
    return new Deferred();
  }

  static ProcessLauncher choose() {
    String asked = System.getenv(ENV);
    if (asked != null && asked.toLowerCase(Locale.ROOT).equals("nuprocess")) {
      LOG.info("spawning through NuProcess (" + ENV + "=" + asked + ")");
      return new NuProcessLauncher(ENV + "=" + asked);
    }
    String why = PosixSpawn.unavailable();
    if (why != null) {
      LOG.warning("spawning through NuProcess: posix_spawn cannot be used here (" + why + "); apps cannot be passed a socket");
      return new NuProcessLauncher(why);
    }
    LOG.info("spawning through posix_spawn");
    return new PosixSpawnLauncher();
  }

  /** Chooses at the first spawn; before it there is no child to write to, sweep or signal but by group. */
  private static final class Deferred implements ProcessLauncher {
    private volatile ProcessLauncher chosen;

    private ProcessLauncher chosen() {
      ProcessLauncher c = chosen;
      if (c == null) {
        synchronized (this) {
          if (chosen == null) {
            chosen = choose();
          }
          c = chosen;
        }
      }
      return c;
    }

    @Override
    public Handle spawn(LaunchSpec spec, Listener listener) throws IOException {
      return chosen().spawn(spec, listener);
    }

    @Override
    public void sweepZombies() {
      ProcessLauncher c = chosen;
      if (c != null) {
        c.sweepZombies();
      }
    }

    @Override
    public StdinWrite writeStdin(int pid, byte[] bytes) {
      ProcessLauncher c = chosen;
      return c == null ? StdinWrite.NO_PROCESS : c.writeStdin(pid, bytes);
    }

    @Override
    public boolean signalGroup(int pgid, Signal signal) {
      ProcessLauncher c = chosen;
      return c == null ? GroupSignals.send(pgid, signal) : c.signalGroup(pgid, signal);
    }

    @Override
    public boolean signal(int pid, Signal signal, boolean tree) {
      ProcessLauncher c = chosen;
      return c == null ? GroupSignals.send(pid, signal) : c.signal(pid, signal, tree);
    }
  }
}
