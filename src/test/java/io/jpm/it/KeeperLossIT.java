package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A keeper killed (kill -9) is replaced within seconds without restarting an app: the daemon, the
 * apps' parent, becomes the keeper (it execs the keeper's script in its own process) and a new
 * daemon adopts every app; a later kill -9 of that daemon is then survived as any other
 * (docs/ARCHITECTURE.md, "The keeper"). Before, nothing replaced the keeper: the next death of the
 * daemon lost every app.
 */
@WithoutTuning
class KeeperLossIT {
    private static final Duration BACK_WITHIN = Duration.ofSeconds(30);

    @Test
    void aKilledKeeperIsReplacedAndTheNextDaemonDeathIsSurvived() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("start", Jpm.fixture("numbers_on.sh").toString(), "--name", "writer", "--", jpm.scratch + "/n");
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "quiet");
            List<JsonObject> apps = List.of(
                    jpm.awaitStatus("writer", "online").get(0),
                    jpm.awaitStatus("quiet", "online").get(0));
            List<Long> pids = apps.stream().map(a -> (long) a.getInteger("pid")).toList();
            DaemonAway.awaitRecorded(jpm, pids);

            int daemon = jpm.daemonPid();
            long keeper = KeeperIT.parentOf(daemon);
            PidFileWatch watch = new PidFileWatch(jpm.home.resolve("jpm.pid"));
            watch.start();
            kill9(keeper);
            // the daemon is the keeper now (same pid), and the daemon it started adopted every app
            int next = DaemonAway.awaitNewDaemon(jpm, daemon);
            watch.interrupt();
            watch.join();
            assertEquals(Set.of(), watch.keepersNamed, "jpm.pid named the keeper (a monitor would signal it)");
            assertEquals(
                    Long.toString(next),
                    Files.readString(jpm.home.resolve("jpm.pid")).trim());
            assertTrue(
                    !Files.exists(jpm.home.resolve("adopt-on-start")), "the mark is removed once jpm.pid is written");
            assertEquals(daemon, KeeperIT.parentOf(next));
            assertTrue(KeeperIT.commandOf(daemon).contains("keeper.pl"), KeeperIT.commandOf(daemon));
            assertEquals(
                    Long.toString(daemon),
                    Files.readString(jpm.home.resolve("keeper.pid")).trim());
            assertSameRuns(jpm, apps);
            jpm.awaitLog(jpm.home.resolve("daemon.log").toString(), "died: this process becomes the keeper");

            // and the new keeper keeps them through a daemon's death
            DaemonAway.awaitRecorded(jpm, pids);
            DaemonAway.kill(jpm);
            int third = DaemonAway.awaitNewDaemon(jpm, next);
            assertEquals(daemon, KeeperIT.parentOf(third));
            assertSameRuns(jpm, apps);

            jpm.ok("stop", "all");
            jpm.awaitStatus("writer", "stopped");
            Path log = Path.of(apps.get(0).getJsonObject("pm2_env").getString("pm_out_log_path"));
            assertNull(NoLineLostIT.wrongNumbers(log), log.toString());
        }
    }

    /**
     * Apps adopted once already are the keeper's children: when it dies they fall to init, not to the
     * daemon that replaces it. Their exits are still seen (a pidfd; the status is unknown), so an app
     * that dies then is restarted, not shown online for ever.
     */
    @Test
    void anAppThatFellToInitWithItsKeeperIsStillSupervised() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "app");
            int pid = jpm.awaitStatus("app", "online").get(0).getInteger("pid");
            DaemonAway.awaitRecorded(jpm, List.of((long) pid));
            int daemon = DaemonAway.kill(jpm);
            daemon = DaemonAway.awaitNewDaemon(jpm, daemon);
            assertEquals(pid, jpm.awaitStatus("app", "online").get(0).getInteger("pid"));
            long keeper = KeeperIT.parentOf(daemon);
            assertEquals(keeper, KeeperIT.parentOf(pid), "adopted: the keeper's child");

            kill9(keeper);
            DaemonAway.awaitNewDaemon(jpm, daemon);
            assertEquals(pid, jpm.awaitStatus("app", "online").get(0).getInteger("pid"));
            kill9(pid);
            int again = jpm.awaitNewPid("a restart of the app", "app", pid);
            JsonObject restarted = jpm.awaitStatus("app", "online").get(0);
            assertEquals(again, restarted.getInteger("pid"));
            assertEquals(1, restarted.getJsonObject("pm2_env").getInteger("restart_time"), restarted.encode());
        }
    }

    private static void assertSameRuns(Jpm jpm, List<JsonObject> apps) {
        for (JsonObject app : apps) {
            JsonObject now = Jpm.await(
                    "the adopted " + app.getString("name"), BACK_WITHIN, () -> jpm.named(app.getString("name")).stream()
                            .filter(p -> "online".equals(Jpm.status(p)))
                            .findFirst()
                            .orElse(null));
            assertEquals(app.getInteger("pid"), now.getInteger("pid"), now.encode());
            assertEquals(0, now.getJsonObject("pm2_env").getInteger("restart_time"), now.encode());
        }
    }

    /**
     * Reads jpm.pid over and over: a pid whose process runs the keeper's script, read again from
     * jpm.pid after that look (so not a daemon that became the keeper between the two reads), is
     * jpm.pid naming the keeper.
     */
    private static final class PidFileWatch extends Thread {
        final Set<String> keepersNamed = ConcurrentHashMap.newKeySet();
        private final Path pidFile;

        PidFileWatch(Path pidFile) {
            super("jpm.pid watch");
            this.pidFile = pidFile;
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                String named = read(pidFile);
                try {
                    if (!named.isEmpty()
                            && KeeperIT.commandOf(Long.parseLong(named)).contains("keeper.pl")
                            && named.equals(read(pidFile))) {
                        keepersNamed.add(named);
                    }
                    Thread.sleep(1); // a poll: the wrong window lasted ~300 ms
                } catch (IOException | NumberFormatException e) {
                    // gone, or a file half written: read again
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private static String read(Path file) {
            try {
                return Files.readString(file).trim();
            } catch (IOException e) {
                return "";
            }
        }
    }

    private static void kill9(long pid) throws Exception {
        new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();
        Jpm.awaitGone(pid);
    }
}
