package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A daemon whose apps fell from a burst's peak hands them to a fresh daemon of itself, as {@code jpm
 * update} does (persist.Renewal; docs/CONFIG.md, persist.renew_after_burst): the apps left keep
 * their pids and restart counts and lose no line, and the daemon's memory is a fresh one's again. The
 * burst here is 6 instances down to 1, with the test's figures in place of 100 and 10 s.
 */
class RenewalIT {
    private static final Map<String, String> SMALL_BURSTS =
            Map.of("JPM_RENEW_MIN_DROP", "4", "JPM_RENEW_QUIET_MS", "1000");

    /** A daemon up with the small figures, "numbers" and the 5 instances of "burst" online. */
    private static Path burstStarted(Jpm jpm) {
        assertEquals(0, jpm.cli(SMALL_BURSTS, "ping").exit());
        jpm.ok("start", Jpm.fixture("numbers.sh").toString(), "--name", "numbers");
        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "burst", "-i", "5");
        jpm.awaitStatus("burst", "online");
        Path out = Path.of(jpm.named("numbers").get(0).getJsonObject("pm2_env").getString("pm_out_log_path"));
        jpm.awaitLog(out.toString(), "\n500\n");
        return out;
    }

    private static String daemonLog(Jpm jpm) {
        return jpm.readLog(jpm.home.resolve("daemon.log").toString());
    }

    private static Integer otherDaemon(Jpm jpm, int old) {
        try {
            int pid = jpm.daemonPid();
            return pid != old && jpm.cli("ping").exit() == 0 ? pid : null;
        } catch (IOException | NumberFormatException e) {
            return null; // between two daemons
        }
    }

    @Test
    void aBurstOverIsFollowedByAFreshDaemonThatAdoptsTheAppsLeft() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Path out = burstStarted(jpm);
            JsonObject numbers = jpm.named("numbers").get(0);
            int oldDaemon = jpm.daemonPid();
            long keeper = KeeperIT.parentOf(oldDaemon);
            String command = KeeperIT.commandOf(oldDaemon);

            jpm.ok("delete", "burst");
            int newDaemon = Jpm.await("a fresh daemon", () -> otherDaemon(jpm, oldDaemon));
            assertEquals(keeper, KeeperIT.parentOf(newDaemon), "started by the same keeper");
            assertEquals(command, KeeperIT.commandOf(newDaemon), "the same command");

            JsonObject adopted = jpm.named("numbers").get(0);
            assertEquals(numbers.getInteger("pid"), adopted.getInteger("pid"), "the same run");
            assertEquals(numbers.getInteger("pm_id"), adopted.getInteger("pm_id"));
            assertEquals(0, adopted.getJsonObject("pm2_env").getInteger("restart_time"));
            assertEquals("online", Jpm.status(adopted));
            assertEquals(1, jpm.jlist().size(), jpm.jlist().encode());
            String log = daemonLog(jpm);
            assertTrue(log.contains("a burst is over (1 instances, 6 at the peak), RSS "), log);
            assertTrue(log.contains("left for a fresh daemon after a burst"), "the keeper's words: " + log);
            assertFalse(Files.exists(jpm.home.resolve("handover.json")), "the handover is removed once adopted");

            // the adopted run's output keeps reaching its log, every line once and in order
            AdoptionIT.awaitMoreLines(out, "more lines from the adopted run");
            jpm.ok("stop", "numbers");
            jpm.awaitStatus("numbers", "stopped");
            assertNull(AdoptionIT.wrongNumbers(out));
        }
    }

    @Test
    void aFollowerHoldsTheRenewalUntilItLeaves() throws Exception {
        try (Jpm jpm = new Jpm()) {
            burstStarted(jpm);
            int oldDaemon = jpm.daemonPid();
            Process follower = jpm.follow(jpm.home.resolve("follower.out"), "logs", "numbers", "--lines", "0");
            try {
                // only live lines (--lines 0): once they come, it is registered
                AdoptionIT.awaitMoreLines(jpm.home.resolve("follower.out"), "live lines in jpm logs");
                jpm.ok("delete", "burst");
                jpm.awaitLog(jpm.home.resolve("daemon.log").toString(), "renewed once nobody follows");
                assertEquals(oldDaemon, jpm.daemonPid(), "not renewed under a follower's feet");
                assertTrue(follower.isAlive(), "the follower's stream goes on");
            } finally {
                follower.destroy();
            }
            Jpm.await("a fresh daemon once the follower left", () -> otherDaemon(jpm, oldDaemon));
            assertEquals("online", Jpm.status(jpm.named("numbers").get(0)));
        }
    }

    @Test
    void renewAfterBurstFalseKeepsTheDaemon() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.settings(new JsonObject().put("persist", new JsonObject().put("renew_after_burst", false)));
            burstStarted(jpm);
            int oldDaemon = jpm.daemonPid();
            jpm.ok("delete", "burst");
            jpm.awaitLog(jpm.home.resolve("daemon.log").toString(), "persist.renew_after_burst is false");
            assertEquals(oldDaemon, jpm.daemonPid());
            assertEquals(1, jpm.jlist().size());
        }
    }

    /**
     * The public port of an HTTP-mode app across a renewal: held by the keeper while one daemon hands
     * over to the next, as across {@code jpm update} (ProxyPortKillIT), and the leaving daemon lets its
     * connections end first, so no request fails, kept-alive or not.
     */
    @Test
    void aRenewalFailsNoRequestToABalancedPort() throws Exception {
        try (Jpm jpm = new Jpm()) {
            assertEquals(0, jpm.cli(SMALL_BURSTS, "ping").exit());
            int http = Ports.free();
            String hello = Jpm.fixture("hello_server.py").toString();
            jpm.ok(Jpm.balancedStart(hello, "web", 2, http, "--balance", "http").toArray(String[]::new));
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "burst", "-i", "5");
            ClusterIT.awaitReady(jpm, "web", 2);
            jpm.awaitStatus("burst", "online");
            int oldDaemon = jpm.daemonPid();
            try (Load web = new Load(http, false, 2);
                    Load kept = Load.keptAliveWithoutRetry(http, 2)) {
                web.awaitMore(10);
                kept.awaitMore(10);
                jpm.ok("delete", "burst");
                Jpm.await("a fresh daemon", () -> otherDaemon(jpm, oldDaemon));
                ClusterIT.awaitReady(jpm, "web", 2);
                web.awaitMore(10);
                kept.awaitMore(10);
                web.close();
                kept.close();
                assertEquals("0 0", web.failed + " " + kept.failed, web.report() + "; kept-alive: " + kept.report());
            }
            assertTrue(daemonLog(jpm).contains("left for a fresh daemon after a burst"), daemonLog(jpm));
        }
    }
}
