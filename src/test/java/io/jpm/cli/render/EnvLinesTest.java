package io.jpm.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvLinesTest {
    /** pm2 7.0.4's env 0 prints these, last key first; jpm printed every key, "env: {...}" among them. */
    @Test
    void pm2sLinesOnlyLastKeyFirst() {
        Map<String, Object> pm2Env = new LinkedHashMap<>();
        pm2Env.put("pm_id", 0.0);
        pm2Env.put("status", "online");
        pm2Env.put("HOME", "/root");
        pm2Env.put("name", "web");
        pm2Env.put("namespace", "default");
        pm2Env.put("env", Map.of("HOME", "/root"));
        pm2Env.put("NODE_APP_INSTANCE", 0.0);
        pm2Env.put("kill_timeout", 1600.0);
        pm2Env.put("max_restarts", 3.0);
        pm2Env.put("cron_restart", "");
        pm2Env.put("interpreter_args", List.of());
        pm2Env.put("axm_monitor", Map.of());
        pm2Env.put("unique_id", "u-1");
        pm2Env.put("node_version", "20.20.2");
        assertEquals(
                List.of(
                        "node_version: 20.20.2",
                        "unique_id: u-1",
                        "max_restarts: 3",
                        "NODE_APP_INSTANCE: 0",
                        "namespace: default",
                        "HOME: /root"),
                EnvLines.of(pm2Env));
    }

    @Test
    void valuesAsJavaScriptWritesThem() {
        assertEquals("a,b,3", EnvLines.js(List.of("a", "b", 3.0)));
        assertEquals("null", EnvLines.js(null));
        assertEquals("1.5", EnvLines.js(1.5));
    }
}
