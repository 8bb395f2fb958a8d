package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code jpm update}: the running daemon replaced by the installed jar's, and the user's dump.json
 * untouched. Without a keeper (JPM_KEEPER=0) every app is started again by the new one with its
 * pm_id, name, env and log files; under one every run is adopted (UpdateAdoptionIT).
 */
@WithoutTuning
class UpdateIT {
    /** What must survive an update, per pm_id: name, status, env mark and log paths. */
    private record Kept(String name, String status, String mark, String out, String err) {}

    private static Map<Integer, Kept> kept(Jpm jpm) {
        Map<Integer, Kept> all = new TreeMap<>();
        for (Object o : jpm.jlist()) {
            JsonObject p = (JsonObject) o;
            JsonObject env = p.getJsonObject("pm2_env");
            all.put(
                    p.getInteger("pm_id"),
                    new Kept(
                            p.getString("name"),
                            env.getString("status"),
                            env.getJsonObject("env", new JsonObject()).getString("UPDATE_MARK"),
                            env.getString("pm_out_log_path"),
                            env.getString("pm_err_log_path")));
        }
        return all;
    }

    private static Map<Integer, Long> pids(Jpm jpm) {
        Map<Integer, Long> all = new TreeMap<>();
        for (Object o : jpm.jlist()) {
            JsonObject p = (JsonObject) o;
            all.put(p.getInteger("pm_id"), p.getLong("pid", 0L));
        }
        return all;
    }

    private static final Map<String, String> NO_KEEPER = Map.of("JPM_KEEPER", "0");

    @Test
    void withoutAKeeperEveryAppRunsAgainUnderTheNewDaemonAndTheDumpIsUntouched() throws Exception {
        try (Jpm jpm = new Jpm()) {
            assertEquals(0, jpm.cli(NO_KEEPER, "ping").exit()); // a daemon without a keeper
            String idle = Jpm.fixture("idle.sh").toString();
            jpm.ok("start", idle, "--name", "solo");
            jpm.ok("save"); // the user's snapshot: a different list from what runs at the update
            jpm.cli(Map.of("UPDATE_MARK", "pair-env"), "start", idle, "--name", "pair", "-i", "2");
            jpm.cli(Map.of("UPDATE_MARK", "last-env"), "start", idle, "--name", "last");
            jpm.awaitStatus("pair", "online");
            jpm.awaitStatus("last", "online");
            byte[] dump = Files.readAllBytes(jpm.home.resolve("dump.json"));
            Map<Integer, Kept> before = kept(jpm);
            Map<Integer, Long> oldPids = pids(jpm);
            long oldDaemon = jpm.daemonPid();
            assertEquals(4, before.size());

            Jpm.Result update = jpm.cli("update");
            assertEquals(0, update.exit(), update.toString());
            assertTrue(update.out().contains(">>>>>>>>>> jpm updated"), update.out());
            assertTrue(
                    update.out()
                            .contains("[jpm] every app restarts under the new daemon, not adopted: this daemon runs"
                                    + " without a keeper"),
                    update.out());
            assertTrue(update.out().contains("[jpm] adopted 0, restarted 4\n"), update.out());

            assertNotEquals(oldDaemon, jpm.daemonPid(), "a new daemon runs");
            Jpm.awaitGone(oldDaemon);
            jpm.awaitStatus("pair", "online");
            assertEquals(before, kept(jpm), "the same pm_ids, names, statuses, env and log files");
            before.values().forEach(k -> assertEquals("online", k.status()));
            Map<Integer, Long> newPids = pids(jpm);
            for (Map.Entry<Integer, Long> old : oldPids.entrySet()) {
                assertNotEquals(
                        old.getValue(), newPids.get(old.getKey()), "pm_id " + old.getKey() + " runs a new process");
                Jpm.awaitGone(old.getValue());
            }
            assertArrayEquals(
                    dump, Files.readAllBytes(jpm.home.resolve("dump.json")), "dump.json unchanged byte for byte");
            assertFalse(Files.exists(jpm.home.resolve("handover.json")), "the handover is removed once restored");
            assertEquals("pair-env", kept(jpm).get(1).mark());
        }
    }

    @Test
    void aStoppedAppStaysStoppedAndKeepsItsPmId() throws Exception {
        try (Jpm jpm = new Jpm()) {
            String idle = Jpm.fixture("idle.sh").toString();
            jpm.ok("start", idle, "--name", "gone");
            jpm.ok("start", idle, "--name", "paused");
            jpm.ok("start", idle, "--name", "running");
            jpm.ok("delete", "gone"); // pm_ids 1 and 2 left: a plain resurrect would number them from 0
            jpm.ok("stop", "paused");
            Map<Integer, Kept> before = kept(jpm);

            Jpm.Result update = jpm.ok("update"); // under a keeper: adopted, the stopped one stays stopped
            assertTrue(update.out().contains("[jpm] adopted 1, restarted 0\n"), update.out());

            jpm.awaitStatus("running", "online");
            assertEquals(before, kept(jpm));
            assertEquals("stopped", kept(jpm).get(1).status());
        }
    }

    @Test
    void withNoDaemonThereIsNothingToUpdate() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Jpm.Result update = jpm.cli("update");
            assertEquals(0, update.exit(), update.toString());
            assertTrue(update.out().contains("nothing to update"), update.out());
            assertFalse(Files.exists(jpm.home.resolve("jpm.pid")), "no daemon started");
        }
    }

    @Test
    void anArgumentIsRefusedAndChangesNothing() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "kept");
            long daemon = jpm.daemonPid();
            Map<Integer, Long> pids = pids(jpm);

            Jpm.Result update = jpm.cli("update", "now");
            assertEquals(1, update.exit());
            assertEquals(1, update.err().lines().count(), update.err());
            assertEquals(daemon, jpm.daemonPid());
            assertEquals(pids, pids(jpm));
            assertFalse(Files.exists(Path.of(jpm.home.toString(), "handover.json")));
        }
    }
}
