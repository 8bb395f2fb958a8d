package io.jpm.cli.transport;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A keeper started through {@code setsid -f}: the process this client spawned (setsid's first)
 * ends at once, so the client's JVM holds no running child when it exits. A JVM waits up to 300 ms
 * at its exit for a thread blocked in native code (HotSpot's VM_Exit), and the JDK's reaper thread
 * of a running child is one: every command that started the daemon paid it. The keeper itself is
 * followed through keeper.pid, which it writes once it forked the daemon, and its last line in daemon.log.
 */
final class ForkedKeeper {
    /** How long the keeper may take to write keeper.pid (perl's start, a few ms idle). */
    private static final long APPEAR_MS = 5_000;

    private final Process setsid;
    private final long spawnedAt = System.currentTimeMillis();
    private final Supplier<ProcessHandle> liveKeeper;
    private final StartLog log;
    private ProcessHandle seen;

    /** @param liveKeeper the keeper keeper.pid names, if it runs this home's keeper script; else null */
    ForkedKeeper(Process setsid, Supplier<ProcessHandle> liveKeeper, StartLog log) {
        this.setsid = setsid;
        this.liveKeeper = liveKeeper;
        this.log = log;
    }

    /** Whether the keeper may still be starting its daemon (false: it ended, or never came). */
    boolean starting() {
        if (setsid.isAlive()) {
            return true; // not forked yet
        }
        if (setsid.exitValue() != 0) {
            return false; // setsid could not run the keeper
        }
        ProcessHandle keeper = liveKeeper.get();
        if (keeper != null) {
            seen = keeper;
            return true;
        }
        if (seen != null || log.keeperExitCode() != null) {
            return false; // it was there and is gone, or it said so as it left
        }
        return System.currentTimeMillis() - spawnedAt < APPEAR_MS;
    }

    /** The keeper's exit code as it logged it (the daemon's, or setsid's own failure), or null. */
    Integer exitCode() {
        if (!setsid.isAlive() && setsid.exitValue() != 0) {
            return setsid.exitValue();
        }
        return log.keeperExitCode();
    }

    /** SIGTERM to the keeper, which stops its daemon, then SIGKILL if it does not end. */
    void stop() {
        ProcessHandle keeper = seen != null ? seen : liveKeeper.get();
        if (keeper == null) {
            return;
        }
        keeper.destroy();
        try {
            keeper.onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            keeper.destroyForcibly();
        } catch (Exception e) {
            keeper.destroyForcibly();
        }
    }
}
