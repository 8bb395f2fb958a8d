package io.jpm.launcher;

import io.jpm.process.ProcessLauncher;
import io.jpm.protocol.JpmEnv;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * The launcher the daemon spawns with: {@link PosixSpawnLauncher} where the system has what it
 * needs (Linux 5.3+, glibc 2.34+), which is also the only one that can pass a descriptor to an
 * app; {@link NuProcessLauncher} elsewhere. {@code JPM_LAUNCHER=nuprocess} in the daemon's
 * environment picks NuProcess anyway (to compare the two, or to step around a problem).
 */
public final class Launchers {
    /** The daemon's environment variable that names a launcher: {@code posix_spawn} or {@code nuprocess}. */
    public static final String ENV = JpmEnv.LAUNCHER.variable;

    private static final Logger LOG = Logger.getLogger("jpm.launcher");

    private Launchers() {}

    /** The launcher for this system (the daemon has loaded JNA by then anyway, for its notify sockets). */
    public static ProcessLauncher forThisSystem() {
        String asked = JpmEnv.LAUNCHER.value();
        if (asked != null && asked.toLowerCase(Locale.ROOT).equals("nuprocess")) {
            LOG.info("spawning through NuProcess (" + ENV + "=" + asked + ")");
            return new NuProcessLauncher(ENV + "=" + asked);
        }
        String why = PosixSpawn.unavailable();
        if (why != null) {
            LOG.warning("spawning through NuProcess: posix_spawn cannot be used here (" + why
                    + "); apps cannot be passed a socket");
            return new NuProcessLauncher(why);
        }
        LOG.info("spawning through posix_spawn");
        return new PosixSpawnLauncher();
    }

    /**
     * Loads what {@link #forThisSystem} loads (JNA, libc's calls, the check of posix_spawn), on the
     * caller's thread: the daemon does it on a thread of its own while its main thread starts Vert.x,
     * so its start does not wait for it. The check runs once; {@link #forThisSystem} then finds it done.
     */
    public static void prepare() {
        PosixSpawn.unavailable();
    }

    /** A process's start time in clock ticks since boot (/proc), 0 when unreadable: with its pid, which process it is. */
    public static long startTicks(int pid) {
        return PosixSpawnLauncher.startTicks(pid);
    }

    /** Closes a descriptor this process inherited and does not use (one the keeper handed over for no run adopted). */
    public static void closeInherited(int fd) {
        if (fd > 2) {
            LibC.close(fd);
        }
    }
}
