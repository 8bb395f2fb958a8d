package io.jpm.cli.startup;

import io.jpm.protocol.JpmHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The daemon {@link DaemonArchive} records its archive from: how long it idles, how it ends. */
final class TrainingDaemon {
    /** The training daemon counts as idle once its class list has not grown for this long. */
    private static final long QUIET_MS = 3000;
    /**
     * The idle daemon's first look at its memory comes 5 s after its start (daemon.NativeHeapTrim):
     * the classes it loads are an idle daemon's too, so the training idles past it.
     */
    private static final long FIRST_LOOK_MS = 6500;

    private static final long IDLE_DEADLINE_MS = 20_000;

    private TrainingDaemon() {}

    /** SIGTERM when it is to write its archive at its exit (SIGKILL if it has not within the deadline), else SIGKILL. */
    static void end(JpmHome home, boolean stop) {
        try {
            long pid = Long.parseLong(Files.readString(home.pidFile()).trim());
            ProcessHandle.of(pid).ifPresent(daemon -> {
                if (stop) {
                    daemon.destroy();
                    daemon.onExit()
                            .orTimeout(DaemonArchive.TRAINING_DEADLINE_S, TimeUnit.SECONDS)
                            .exceptionally(e -> null)
                            .join();
                }
                daemon.destroyForcibly();
                daemon.onExit()
                        .orTimeout(30, TimeUnit.SECONDS)
                        .exceptionally(e -> null)
                        .join();
            });
        } catch (IOException | NumberFormatException e) {
            // no pid file: it never got ready, and startDaemon stopped it
        }
    }

    /**
     * Until the class list has not grown for {@link #QUIET_MS}, {@link #FIRST_LOOK_MS} at the least (at most
     * {@link #IDLE_DEADLINE_MS}).
     */
    static void awaitNoNewClasses(Path classList) throws IOException {
        long deadline = System.currentTimeMillis() + IDLE_DEADLINE_MS;
        long earliest = System.currentTimeMillis() + FIRST_LOOK_MS;
        long size = -1;
        long sameSince = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline) {
            long now = Files.size(classList);
            if (now != size) {
                size = now;
                sameSince = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - sameSince >= QUIET_MS && System.currentTimeMillis() >= earliest) {
                return;
            }
            try {
                Thread.sleep(250); // pacing a look at a file another process writes: no event to wait for
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
    }
}
