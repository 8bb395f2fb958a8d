package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.config.AppConfig;
import io.jpm.config.AppConfigParser;
import io.jpm.process.Signal;
import io.jpm.protocol.ProcessState;
import io.jpm.protocol.ProcessView;
import io.jpm.verticle.Plain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pm2's jlist row, byte for byte, on fixed instances: the rows in describer-rows.txt were written
 * by the Describer that built them with {@code put} calls, before the row became a record, so a
 * change of key, order, type or absent-vs-null shows here. What the machine decides (the temp
 * folder, the user, node's version, created_at, unique_id and jpm's version) is replaced by a placeholder. Each
 * row also reads back whole: {@link ProcessView#from} then {@code toMap} gives the same bytes.
 * {@code -Ddescriber.rows.write=true} writes the file again (after a change meant to show in jlist).
 */
class DescriberRowsTest {
    private static final Path ROWS = Path.of("src/test/resources/io/jpm/god/describer-rows.txt");
    private static final long STARTED = 1_700_000_000_000L;
    private static final long NOW = STARTED + 65_000;
    /** A pid no process has (above Linux's pid_max of 2^22): socket mode reads /proc for it. */
    private static final int PID = 4_999_999;

    @TempDir
    Path dir;

    @Test
    void eachRowIsTheOneWrittenBeforeTheRecord() throws IOException {
        Map<String, String> rows = rows();
        if (Boolean.getBoolean("describer.rows.write")) {
            List<String> lines = new ArrayList<>();
            rows.forEach((name, row) -> lines.add(name + "\t" + row));
            Files.writeString(ROWS, String.join("\n", lines) + "\n");
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ROWS)) {
            expected.put(line.substring(0, line.indexOf('\t')), line.substring(line.indexOf('\t') + 1));
        }
        assertEquals(expected.keySet(), rows.keySet());
        expected.forEach((name, row) -> {
            if (name.startsWith("table")) {
                // jpm's own view for ls, not pm2's: written in the row's order since it is the row's
                // projection (ProcessView.toTableMap), so its keys and values are held, not their order
                assertEquals(new JsonObject(row), new JsonObject(rows.get(name)), name);
            } else {
                assertEquals(row, rows.get(name), name);
            }
        });
    }

    private Map<String, String> rows() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        Describer describer = new Describer(
                "box",
                app -> new SharedSockets.AppSockets(
                        List.of(new SharedSockets.Open("0.0.0.0", 8080, 3)), List.of("other")));

        Instance fork = online(instance(0, 0, ""));
        fork.satanReports().usage(12.5, 42_000_000);
        rows.put("fork online", row(describer.describe(fork, NOW, EnvView.VALUES, null)));
        rows.put("fork online, no env", row(describer.describe(fork, NOW, EnvView.NONE, null)));

        Instance full = online(instance(
                1,
                1,
                ",\"instances\":2,\"exec_mode\":\"cluster\",\"args\":[\"--one\",\"two\"],"
                        + "\"env\":{\"GREETING\":\"hello\",\"name\":\"clash\",\"DB_PASSWORD\":\"pw\"},\"interpreter_args\":\"-u\","
                        + "\"namespace\":\"backend\",\"log_date_format\":\"YYYY-MM-DD\",\"merge_logs\":true,\"log_type\":\"json\","
                        + "\"max_memory_restart\":\"200M\",\"cron_restart\":\"0 3 * * *\",\"stop_exit_codes\":[2,0],"
                        + "\"kill_timeout\":\"3s\",\"kill_signal\":\"SIGTERM\",\"restart_delay\":100,\"exp_backoff_restart_delay\":50,"
                        + "\"max_restarts\":4,\"min_uptime\":\"2s\",\"autorestart\":false,\"vizion\":false,"
                        + "\"instance_var\":\"INSTANCE_ID\",\"increment_var\":\"PORT_N\",\"wait_ready\":true,\"listen_timeout\":8000,"
                        + "\"shutdown_with_message\":true,\"treekill\":false,\"autostart\":false,"
                        + "\"health\":{\"http\":\"/healthz\"},\"metrics_url\":\"/metrics\",\"errored_retry\":\"1m\""));
        full.run().moduleEnv(Map.of("api_key", "abc"));
        full.satanReports().healthVerdict("healthy", "200 OK", PID);
        full.restartedBySatan("memory above max_memory_restart");
        full.satanReports()
                .appMetrics(new JsonObject()
                        .put("url", "http://127.0.0.1:1/metrics")
                        .put("time", STARTED + 1000)
                        .put("error", null)
                        .put("samples", new JsonArray())
                        .put("pid", PID));
        rows.put("cluster, every option", row(describer.describe(full, NOW, EnvView.VALUES, null)));
        rows.put("cluster, names only", row(describer.describe(full, NOW, EnvView.NAMES, null)));

        Files.createDirectories(dir.resolve("server"));
        Files.createDirectories(dir.resolve("client"));
        Instance watched =
                online(instance(2, 0, ",\"watch\":[\"server\",\"client\"],\"ignore_watch\":[\"node_modules\"]"));
        rows.put("watch as given", row(describer.describe(watched, NOW, EnvView.VALUES, null)));
        rows.put(
                "watch true",
                row(describer.describe(online(instance(3, 0, ",\"watch\":true")), NOW, EnvView.VALUES, null)));

        Instance stopped = online(instance(4, 0, ""));
        stopped.transitionTo(ProcessState.STOPPING, "stop asked");
        stopped.run().ended(null, Signal.parse("SIGINT"));
        stopped.exitTo(ProcessState.STOPPED, "exit after a stop: killed by SIGINT");
        rows.put("stopped", row(describer.describe(stopped, NOW, EnvView.VALUES, null)));

        Instance errored = online(instance(5, 0, ""));
        errored.run().ended(1, null);
        errored.exitTo(ProcessState.ERRORED, "exited with code 1; exited 16 times in a row before min_uptime");
        rows.put("errored", row(describer.describe(errored, NOW, EnvView.VALUES, null)));

        Instance old = online(instance(6, 0, ""));
        old.oldRun(true);
        rows.put("old run", row(describer.describe(old, NOW, EnvView.NONE, null)));

        Instance proxied = online(instance(7, 0, ",\"port\":8080,\"balance\":\"round-robin\",\"instances\":2"));
        proxied.run().spawned(PID, 41000, STARTED, null);
        JsonObject stats = new JsonObject()
                .put("state", "ready")
                .put("connections", 3L)
                .put("served", 40L)
                .put("per_minute", 7L)
                .put("bytes_in", 1000L)
                .put("bytes_out", 2000L);
        rows.put("proxy balanced", row(describer.describe(proxied, NOW, EnvView.NONE, stats)));
        rows.put("proxy balanced, no counters", row(describer.describe(proxied, NOW, EnvView.NONE, null)));

        Instance socket = online(instance(8, 0, ",\"port\":8080,\"instances\":2"));
        rows.put("socket mode", row(describer.describe(socket, NOW, EnvView.VALUES, null)));
        rows.put("socket mode, no env", row(describer.describe(socket, NOW, EnvView.NONE, null)));

        List<Instance> all = List.of(fork, full, watched, stopped, errored, old, proxied, socket);
        for (int i = 0; i < all.size(); i++) {
            rows.put(
                    "table " + i,
                    row(new JsonObject(describer
                            .view(all.get(i), NOW, EnvView.NONE, Describer.Counted.NONE)
                            .toTableMap())));
        }
        return rows;
    }

    private Instance instance(int pmId, int index, String options) throws IOException {
        Files.writeString(dir.resolve("server.py"), "import time\n");
        AppConfig config = new AppConfigParser("test", dir, Map.of("PATH", "/usr/bin:/bin"))
                .parse(new JsonObject("{\"script\":\"server.py\",\"name\":\"api" + pmId + "\"" + options + "}"), null);
        return ApiInstance.of(pmId, index, config, pmId == 1 ? "/logs/api.log" : null, "/pids/api.pid", e -> {});
    }

    private static Instance online(Instance i) {
        i.transitionTo(ProcessState.LAUNCHING, "start");
        i.run().spawned(PID, 0, STARTED, null);
        i.transitionTo(ProcessState.ONLINE, "spawned pid " + PID);
        return i;
    }

    /**
     * The row's bytes, with what the machine or the clock decides replaced, and the app's environment
     * in name order: an app's env has no order of its own (it varies from one JVM to the next), in
     * pm2_env.env and in its copy at the top of pm2_env.
     */
    private String row(JsonObject row) {
        // and what a reader decodes is the whole row: written again, it is the same bytes
        ProcessView read = ProcessView.from(Plain.map(row));
        boolean table = !row.getJsonObject("pm2_env").containsKey("name");
        assertEquals(row.encode(), new JsonObject(table ? read.toTableMap() : read.toMap()).encode(), "read back");
        JsonObject pm2Env = row.getJsonObject("pm2_env");
        for (String machine : List.of("created_at", "unique_id", "username", "node_version")) {
            if (pm2Env.containsKey(machine)) {
                pm2Env.put(machine, "<" + machine + ">");
            }
        }
        if (row.getJsonObject("jpm") != null && row.getJsonObject("jpm").containsKey("jpm_version")) {
            row.getJsonObject("jpm").put("jpm_version", "<jpm_version>"); // the build's, not the row's
        }
        if (pm2Env.getValue("env") instanceof JsonObject env) {
            List<String> keys = new ArrayList<>(pm2Env.fieldNames());
            List<String> merged = new ArrayList<>(keys.subList(0, env.size()));
            Collections.sort(merged);
            JsonObject sorted = new JsonObject();
            merged.forEach(k -> sorted.put(k, pm2Env.getValue(k)));
            keys.subList(env.size(), keys.size()).forEach(k -> sorted.put(k, pm2Env.getValue(k)));
            sorted.put("env", new JsonObject(new TreeMap<>(env.getMap())));
            row.put("pm2_env", sorted);
        }
        return row.encode().replace(dir.toString(), "<dir>");
    }
}
