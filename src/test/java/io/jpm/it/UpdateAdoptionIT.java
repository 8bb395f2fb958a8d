package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code jpm update} under a keeper restarts nothing (docs/ARCHITECTURE.md, "The keeper"): the
 * daemon leaves, its keeper runs the keeper script the client wrote (in the same process: the apps
 * stay its children) and starts the new daemon, which adopts every run with its pid, pm_id and
 * uptime, its restart count from 0 as after pm2's update; the output an app writes meanwhile reaches its log; dump.json is not
 * touched.
 */
@WithoutTuning
class UpdateAdoptionIT {
    /** What an adoption keeps of each instance, by pm_id. */
    private record Run(String name, long pid, int restarts, long uptime, String status) {}

    private static Map<Integer, Run> runs(Jpm jpm) {
        Map<Integer, Run> all = new TreeMap<>();
        for (Object o : jpm.jlist()) {
            JsonObject p = (JsonObject) o;
            JsonObject env = p.getJsonObject("pm2_env");
            all.put(
                    p.getInteger("pm_id"),
                    new Run(
                            p.getString("name"),
                            p.getLong("pid", 0L),
                            env.getInteger("restart_time"),
                            env.getLong("pm_uptime", 0L),
                            env.getString("status")));
        }
        return all;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String get(int port) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Test
    void anUpdateAdoptsEveryRunAndRestartsNone() throws Exception {
        try (Jpm jpm = new Jpm()) {
            int port = freePort();
            jpm.ok("start", Jpm.fixture("numbers.sh").toString(), "--name", "numbers");
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "quiet");
            jpm.ok("restart", "quiet"); // restart_time 1, which the update counts from 0 again, as pm2's
            ClusterIT.start(
                    jpm,
                    Map.of(),
                    Jpm.balancedStart(
                            Jpm.fixture("hello_server.py").toString(), "web", 2, port, "--listen-timeout", "60000"));
            ClusterIT.awaitReady(jpm, "web", 2);
            jpm.awaitStatus("quiet", "online");
            jpm.ok("save");
            byte[] dump = Files.readAllBytes(jpm.home.resolve("dump.json"));
            Path out =
                    Path.of(jpm.named("numbers").get(0).getJsonObject("pm2_env").getString("pm_out_log_path"));
            jpm.awaitLog(out.toString(), "\n500\n");
            Map<Integer, Run> before = runs(jpm);
            assertEquals(4, before.size(), before.toString());
            int oldDaemon = jpm.daemonPid();
            long keeper = KeeperIT.parentOf(oldDaemon);

            // the new daemon's command differs from the old one's: the keeper's own command line shows
            // it ran the new script in its process (exec), the apps its children throughout
            String mark = "-Djpm.test.updated=" + oldDaemon;
            Jpm.Result update = jpm.cli(Map.of("JPM_DAEMON_OPTS", "-Xmx128m " + mark), "update");
            assertEquals(0, update.exit(), update.toString());
            assertTrue(update.out().contains("[jpm] adopted 4, restarted 0\n"), update.toString());
            assertTrue(update.out().contains(">>>>>>>>>> jpm updated"), update.out());

            int newDaemon = jpm.daemonPid();
            assertNotEquals(oldDaemon, newDaemon, "a new daemon runs");
            assertEquals(keeper, KeeperIT.parentOf(newDaemon), "started by the same keeper process");
            assertTrue(KeeperIT.commandOf(keeper).contains("keeper.pl"), KeeperIT.commandOf(keeper));
            assertTrue(KeeperIT.commandOf(keeper).contains(mark), "the keeper execs with the new command");
            assertTrue(KeeperIT.commandOf(newDaemon).contains(mark), KeeperIT.commandOf(newDaemon));
            assertEquals(
                    1,
                    before.values().stream()
                            .filter(r -> r.name().equals("quiet"))
                            .findFirst()
                            .orElseThrow()
                            .restarts());
            Map<Integer, Run> countedFromZero = new TreeMap<>();
            before.forEach((id, r) -> countedFromZero.put(id, new Run(r.name(), r.pid(), 0, r.uptime(), r.status())));
            assertEquals(
                    countedFromZero,
                    runs(jpm),
                    "the same pids and uptimes, all online, restart counts from 0 (pm2's update restarts every app)");
            before.values().forEach(r -> assertEquals("online", r.status(), r.toString()));
            assertEquals(0, jpm.cli("ls").exit());
            assertNotEquals(null, Jpm.await("the public port answering", () -> get(port)));

            // the adopted run's output keeps reaching its log, every line once and in order
            AdoptionIT.awaitMoreLines(out, "more lines from the adopted run");
            jpm.ok("stop", "numbers");
            jpm.awaitStatus("numbers", "stopped");
            assertNull(AdoptionIT.wrongNumbers(out));

            assertArrayEquals(
                    dump, Files.readAllBytes(jpm.home.resolve("dump.json")), "dump.json unchanged byte for byte");
            assertFalse(Files.exists(jpm.home.resolve("handover.json")), "the handover is removed once adopted");
            String log = jpm.readLog(jpm.home.resolve("daemon.log").toString());
            assertTrue(
                    log.contains(
                            "the previous daemon left its apps for the next one (an update, a renewal, or its keeper died): 4 running instance(s) adopted"),
                    log);
        }
    }
}
