package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.jpm.config.AppConfig;
import io.jpm.config.AppConfigParser;
import io.jpm.process.Signal;
import io.jpm.protocol.ProcessState;
import io.jpm.verticle.PartlyEncoded;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge's rows, whose pm2_env is partly encoded ({@link SteadyParts}), read as the same JSON as
 * the rows built whole, for every view and after each change a listing must show: a state, a restart,
 * a new config, watch toggled, monitoring, a reload's old run. Encoded as the bridge encodes them
 * ({@link PartlyEncoded#encode}) and decoded, as a client reads them.
 */
class SteadyPartsTest {
    private static final long STARTED = 1_700_000_000_000L;
    private static final int PID = 4_999_999;

    @TempDir
    Path dir;

    private final Describer describer = new Describer("box");

    @Test
    void aRowReadsTheSameAsTheWholeOneInEveryView() throws IOException {
        // variables named as pm2_env fields, changing and steady: the field wins in both of jpm's rows
        // (pm2 7.0.4, by hand, starts nothing from this file: its jlist stays empty)
        Instance i = online(
                instance(
                        1,
                        ",\"env\":{\"status\":\"x\",\"pm_id\":\"y\",\"axm_monitor\":\"z\",\"name\":\"clash\",\"GREETING\":\"hi\"},"
                                + "\"instance_var\":\"INSTANCE_ID\",\"increment_var\":\"PORT_N\",\"max_memory_restart\":\"200M\""));
        i.run().moduleEnv(Map.of("api_key", "abc"));
        for (EnvView view : EnvView.values()) {
            same(i, view);
            same(i, view); // from the kept part
        }
    }

    @Test
    void eachChangeShowsInTheNextRow() throws IOException {
        Instance i = online(instance(2, ",\"watch\":true"));
        same(i, EnvView.VALUES);
        i.transitionTo(ProcessState.STOPPING, "stop asked");
        i.run().ended(null, Signal.parse("SIGINT"));
        i.exitTo(ProcessState.STOPPED, "exit after a stop: killed by SIGINT");
        same(i, EnvView.VALUES);
        i.restartedBySatan("memory above max_memory_restart");
        online(i);
        same(i, EnvView.VALUES);
        String before = encoded(i, EnvView.VALUES).getJsonObject("pm2_env").encode();
        i.toggleWatch();
        same(i, EnvView.VALUES);
        i.monitored(true);
        same(i, EnvView.VALUES);
        i.reconfigure(config(2, ",\"env\":{\"NEW\":\"1\"}"));
        same(i, EnvView.VALUES);
        i.run().moduleEnv(Map.of("api_key", "def"));
        same(i, EnvView.VALUES);
        same(i, EnvView.NAMES);
        i.oldRun(true);
        same(i, EnvView.VALUES);
        assertNotEquals(
                before, encoded(i, EnvView.VALUES).getJsonObject("pm2_env").encode());
    }

    private void same(Instance i, EnvView view) {
        long now = STARTED + 65_000;
        JsonObject whole = new JsonObject(
                describer.view(i, now, view, Describer.Counted.NONE).toMap());
        assertEquals(whole, encoded(i, view), view + " " + i.state());
    }

    private JsonObject encoded(Instance i, EnvView view) {
        Map<String, Object> row = describer.partlyEncodedRow(i, STARTED + 65_000, view, Describer.Counted.NONE);
        return new JsonObject(PartlyEncoded.encode(row, 0));
    }

    private AppConfig config(int pmId, String options) throws IOException {
        Files.writeString(dir.resolve("server.py"), "import time\n");
        return new AppConfigParser("test", dir, Map.of("PATH", "/usr/bin:/bin"))
                .parse(new JsonObject("{\"script\":\"server.py\",\"name\":\"api" + pmId + "\"" + options + "}"), null);
    }

    private Instance instance(int pmId, String options) throws IOException {
        return ApiInstance.of(pmId, 0, config(pmId, options), null, "/pids/api.pid", e -> {});
    }

    private static Instance online(Instance i) {
        i.transitionTo(ProcessState.LAUNCHING, "start");
        i.run().spawned(PID, 0, STARTED, null);
        i.transitionTo(ProcessState.ONLINE, "spawned pid " + PID);
        return i;
    }
}
