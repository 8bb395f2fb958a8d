package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The row as readers decode it (the CLI's JSON reader gives every whole number as a Long). */
class ProcessViewTest {
    private static ProcessView row(Object listedId, Map<String, Object> balancer) {
        Map<String, Object> pm2Env = new LinkedHashMap<>();
        pm2Env.put("GREETING", "hello");
        pm2Env.put("name", "api");
        pm2Env.put("status", "online");
        pm2Env.put("restart_time", 3L);
        pm2Env.put("pm_uptime", 1_700_000_000_000L);
        pm2Env.put("stop_exit_codes", List.of(0L, 2L));
        pm2Env.put("instance_var", "NODE_APP_INSTANCE");
        pm2Env.put("NODE_APP_INSTANCE", 1L);
        pm2Env.put("watch", List.of("src"));
        pm2Env.put("env", Map.of("GREETING", "hello"));
        pm2Env.put("vizion", false);
        Map<String, Object> jpm = new LinkedHashMap<>();
        jpm.put("health", "healthy");
        jpm.put("warnings", List.of("option 'x' is not known"));
        jpm.put("watchdog", Map.of("errored_retry", 60000L, "watch_paths", List.of("/srv/src")));
        if (balancer != null) {
            jpm.put("balancer", balancer);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("pid", 4242L);
        row.put("name", "api");
        row.put("pm2_env", pm2Env);
        row.put("pm_id", listedId);
        row.put("monit", Map.of("memory", 1024L, "cpu", 1.5));
        row.put("jpm", jpm);
        return ProcessView.from(row);
    }

    @Test
    void readsTypedFieldsWhateverTheNumberTypes() {
        ProcessView p = row(7L, null);
        assertEquals(4242, p.pid());
        assertEquals(3, p.pm2Env().run().restartTime());
        assertEquals(List.of(0, 2), p.pm2Env().policy().stopExitCodes());
        assertEquals(1, p.pm2Env().instance().index());
        assertEquals(1.5, p.cpu());
        assertTrue(p.online());
        assertTrue(p.pm2Env().watch().watching());
        assertEquals(60000, p.jpm().erroredRetryMs());
        assertEquals(List.of("/srv/src"), p.jpm().watchPaths());
        // pm2's fields and the env's copy are not options only pm2 reads; vizion is
        assertEquals(Map.of("vizion", false), p.pm2Env().pm2Only());
        assertEquals("hello", p.pm2EnvMap().get("GREETING"));
    }

    @Test
    void aReloadsOldRunKeepsItsNumberAndIsListedAsPm2ListsIt() {
        Map<String, Object> raw = new LinkedHashMap<>(row(7L, null).toMap());
        raw.put("pm_id", "_old_3");
        ProcessView old = ProcessView.from(raw);
        assertTrue(old.oldRun());
        assertEquals(3, old.pmId());
        assertEquals("_old_3", old.listedId());
        assertEquals(3, old.jpm().toMap(3, false).get("old_run_of"));
        assertFalse(row(7L, null).oldRun());
    }

    @Test
    void theTableViewIsTheRowsTableFieldsOnly() {
        Map<String, Object> table = row(7L, null).toTableMap();
        assertEquals(List.of("pid", "name", "pm2_env", "pm_id", "monit", "jpm"), List.copyOf(table.keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) table.get("pm2_env");
        assertEquals(
                List.of(
                        "namespace",
                        "status",
                        "restart_time",
                        "pm_uptime",
                        "exec_mode",
                        "watch",
                        "version",
                        "username"),
                List.copyOf(env.keySet()));
        assertEquals(Map.of("health", "healthy", "warnings", List.of("option 'x' is not known")), table.get("jpm"));
        // read back, the table row is the same projection
        assertEquals(table, ProcessView.from(table).toTableMap());
    }

    @Test
    void theBalancerIsTheProxysCountersOrSocketModesSockets() {
        ProcessViewBalancer proxy = row(7L, Map.of("balance", "http", "public_port", 8080L, "served", 40L))
                .jpm()
                .balancer();
        assertInstanceOf(ProcessViewBalancer.Proxy.class, proxy);
        assertEquals(40, ((ProcessViewBalancer.Proxy) proxy).served());
        assertNull(((ProcessViewBalancer.Proxy) proxy).privatePort());
        ProcessViewBalancer socket = row(7L, Map.of("balance", "socket", "sockets", List.of("0.0.0.0:8080")))
                .jpm()
                .balancer();
        assertInstanceOf(ProcessViewBalancer.Socket.class, socket);
        assertNull(((ProcessViewBalancer.Socket) socket).connections(), "absent unless a full describe counted them");
        assertFalse(socket.toMap().containsKey("connections"));
    }

    /** A fleet app's {@code jpm.fleet} read back as written; a row without one reads as no fleet app. */
    @Test
    void aFleetRowReadsBackAsWritten() {
        Map<String, Object> raw = new LinkedHashMap<>(row(7L, null).toMap());
        @SuppressWarnings("unchecked")
        Map<String, Object> jpm = new LinkedHashMap<>((Map<String, Object>) raw.get("jpm"));
        jpm.put("fleet", Map.of("hosts", List.of("web-1", "web-2"), "instances", 2L, "front_per_minute", 42L));
        raw.put("jpm", jpm);
        ProcessView fleet = ProcessView.from(raw);
        assertEquals(
                new ProcessViewFleet(List.of("web-1", "web-2"), 2, 42L),
                fleet.jpm().fleet());
        assertEquals(fleet.jpm().fleet(), ProcessView.from(fleet.toMap()).jpm().fleet());
        assertNull(row(7L, null).jpm().fleet());
        assertFalse(row(7L, null).toMap().toString().contains("fleet"));
    }
}
