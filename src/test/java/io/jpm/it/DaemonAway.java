package io.jpm.it;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;

/** A daemon taken away under its apps (SIGKILL) and the one its keeper starts again, for the adoption ITs. */
final class DaemonAway {
    private static final Duration BACK_WITHIN = Duration.ofSeconds(30);

    private DaemonAway() {}

    /** Waits until the daemon's record (state.json, kept current on each change) names every pid of {@code pids}. */
    static void awaitRecorded(Jpm jpm, Collection<Long> pids) {
        Jpm.await("the record of pids " + pids, () -> {
            try {
                String state = Files.readString(jpm.home.resolve("state.json"));
                return pids.stream().allMatch(pid -> state.contains("\"pid\" : " + pid)) ? true : null;
            } catch (IOException e) {
                return null;
            }
        });
    }

    /** SIGKILL of the daemon; returns once it is gone. */
    static int kill(Jpm jpm) throws Exception {
        int daemon = jpm.daemonPid();
        new ProcessBuilder("kill", "-KILL", Integer.toString(daemon)).start().waitFor();
        Jpm.awaitGone(daemon);
        return daemon;
    }

    /** Waits, with no command, until a daemon other than {@code old} answers (its daemon.json). */
    static int awaitNewDaemon(Jpm jpm, int old) {
        return awaitNewDaemon(jpm, old, BACK_WITHIN);
    }

    /**
     * As {@link #awaitNewDaemon(Jpm, int)}, within {@code within} (a hang is seen only after the hang
     * timeout). jpm.pid names the same daemon by then (the daemon writes it before daemon.json).
     */
    static int awaitNewDaemon(Jpm jpm, int old, Duration within) {
        return Jpm.await("a new daemon after " + old, within, () -> {
            try {
                Path ready = jpm.home.resolve("daemon.json");
                Integer pid =
                        Files.isRegularFile(ready) ? new JsonObject(Files.readString(ready)).getInteger("pid") : null;
                return pid != null && pid != old ? pid : null;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        });
    }
}
