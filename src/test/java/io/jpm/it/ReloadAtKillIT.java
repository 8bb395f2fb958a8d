package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A kill -9 of the daemon in the middle of {@code jpm reload} of a
 * 2-instance balanced app, paused while pm_id 0's new run is not ready (it never listens). With no
 * command, the new daemon rolls pm_id 0 back to its old run, which still served, and stops the new
 * one: the app has its two instances, online, their old pids; nothing was started twice and no
 * process of the app runs outside the table. Before the fix the old run of pm_id 0 was in no record:
 * it ran on outside the table (an orphan), and the new run was adopted beside it.
 */
@WithoutTuning
class ReloadAtKillIT {
    private static final Duration BACK_WITHIN = Duration.ofSeconds(30);

    private static JsonObject env(JsonObject process) {
        return process.getJsonObject("pm2_env");
    }

    /** The live processes whose environment names this home and the app {@code name}, from /proc. */
    private static Set<Integer> processesOf(Jpm jpm, String name) throws IOException {
        Set<Integer> found = new TreeSet<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : proc) {
                int pid = Integer.parseInt(dir.getFileName().toString());
                List<String> environ;
                try {
                    environ = List.of(new String(Files.readAllBytes(dir.resolve("environ"))).split("\0"));
                } catch (IOException e) {
                    continue; // gone, or not ours to read
                }
                if (Jpm.alive(pid) && environ.contains("JPM_HOME=" + jpm.home) && environ.contains("name=" + name)) {
                    found.add(pid);
                }
            }
        }
        return found;
    }

    /**
     * Each process of the app as /proc tells it (parent, state, start in clock ticks, command line) and the
     * daemon's table and log: what a failure needs to say which run a stray process is.
     */
    private static String described(Jpm jpm, String name) {
        Set<Integer> pids;
        try {
            pids = processesOf(jpm, name);
        } catch (IOException e) {
            return "(no /proc: " + e + ")";
        }
        StringBuilder out = new StringBuilder();
        for (int pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                String cmdline = new String(Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "cmdline")))
                        .replace('\0', ' ');
                out.append(String.format(
                        "%n  pid %d ppid %s state %s start %s: %s", pid, fields[1], fields[0], fields[19], cmdline));
            } catch (IOException e) {
                out.append(String.format("%n  pid %d gone", pid));
            }
        }
        try {
            out.append("\n").append(jpm.jlist().encodePrettily());
            out.append("\n").append(jpm.readLog(jpm.home.resolve("daemon.log").toString()));
        } catch (RuntimeException e) {
            out.append("\n(no table: ").append(e).append(')');
        }
        return out.toString();
    }

    /**
     * The runs of the app that live, as the process groups its processes are in: jpm starts each run
     * in a group of its own, led by the run's pid (a balanced instance's in the daemon's session), and
     * a run may have helpers of its own for a while (a pyenv shim's python3 is bash, which runs
     * pyenv-which before it execs python).
     */
    private static Set<Integer> runsOf(Jpm jpm, String name) throws IOException {
        Set<Integer> groups = new TreeSet<>();
        for (int pid : processesOf(jpm, name)) {
            try {
                String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
                // after the command name: state, ppid, pgrp
                groups.add(Integer.parseInt(
                        stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]));
            } catch (IOException e) {
                // gone meanwhile
            }
        }
        return groups;
    }

    /** The daemon's record (state.json) as it is now; empty while it is replaced. */
    private static String recorded(Path state) {
        try {
            return Files.readString(state);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void aReloadHalfDoneAtTheKillIsRolledBackWithNoOrphanAndNothingStartedTwice() throws Exception {
        try (Jpm jpm = new Jpm()) {
            int port = Ports.free();
            Path notReady = jpm.scratch.resolve("not-ready");
            // a long listen_timeout: the reload waits for pm_id 0's new run, which never listens, until the kill
            List<String> start = Jpm.balancedStart(
                    Jpm.fixture("hello_server.py").toString(), "web", 2, port, "--listen-timeout", "120000");
            ClusterIT.start(jpm, Map.of("NOT_READY_FILE", notReady.toString()), start);
            List<JsonObject> before = jpm.awaitStatus("web", "online");
            Set<Integer> oldPids = before.stream().map(p -> p.getInteger("pid")).collect(Collectors.toSet());
            assertEquals(oldPids, runsOf(jpm, "web"));

            Files.writeString(notReady, "");
            Process reload = jpm.follow(jpm.scratch.resolve("reload.out"), "reload", "web");
            try {
                // paused: pm_id 0's new run is up and never ready; its old run serves on as _old_0
                int fresh = Jpm.await("pm_id 0's new run", () -> {
                    // its old run is listed too, as pm2 lists one: pm_id "_old_0", a string; the new
                    // run's entry may not be listed yet
                    Integer pid = jpm.named("web").stream()
                            .filter(q -> Integer.valueOf(0).equals(q.getValue("pm_id")))
                            .findFirst()
                            .map(q -> q.getInteger("pid"))
                            .orElse(null);
                    return pid != null && pid != 0 && !oldPids.contains(pid) ? pid : null;
                });
                Path state = jpm.home.resolve("state.json");
                Jpm.await(
                        "the record with the new run",
                        () -> recorded(state).contains("\"pid\" : " + fresh) ? true : null);
                Set<Integer> runs = runsOf(jpm, "web");
                Set<Integer> expected = new TreeSet<>(oldPids);
                expected.add(fresh);
                assertEquals(expected, runs, () -> "two old runs and a new one: " + described(jpm, "web"));

                int daemon = jpm.daemonPid();
                new ProcessBuilder("kill", "-KILL", Integer.toString(daemon))
                        .start()
                        .waitFor();
                Jpm.awaitGone(daemon);
                Jpm.await("a new daemon answering", BACK_WITHIN, () -> {
                    try {
                        Path ready = jpm.home.resolve("daemon.json");
                        Integer pid = Files.isRegularFile(ready)
                                ? new JsonObject(Files.readString(ready)).getInteger("pid")
                                : null;
                        return pid != null && pid != daemon ? pid : null;
                    } catch (IOException | RuntimeException e) {
                        return null;
                    }
                });

                // rolled back: the two old runs, online under their pm_ids; the new run stopped
                List<JsonObject> after = jpm.awaitStatus("web", "online");
                assertEquals(2, after.size(), new JsonArray(after).encodePrettily());
                for (JsonObject was : before) {
                    JsonObject now = after.stream()
                            .filter(p -> was.getValue("pm_id").equals(p.getValue("pm_id")))
                            .findFirst()
                            .orElseThrow();
                    assertEquals(was.getInteger("pid"), now.getInteger("pid"), now.encode());
                    assertEquals(env(was).getInteger("restart_time"), env(now).getInteger("restart_time"));
                }
                Jpm.awaitGone(fresh);
                // nothing started again, and nothing of the app left outside the table
                Set<Integer> left = runsOf(jpm, "web");
                assertEquals(oldPids, left, () -> "the app's runs: " + described(jpm, "web"));
                String log = jpm.readLog(jpm.home.resolve("daemon.log").toString());
                assertTrue(
                        log.contains("a reload was under way: pm_id 0 rolled back to its old run, pid "
                                + before.get(0).getInteger("pid")),
                        log);
            } finally {
                reload.destroyForcibly();
            }
            Files.delete(notReady);
            jpm.ok("delete", "all");
            for (JsonObject p : before) {
                Jpm.awaitGone(p.getInteger("pid"));
            }
        }
    }
}
