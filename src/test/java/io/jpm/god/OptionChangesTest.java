package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.config.AppConfig;
import io.jpm.config.AppConfigParser;
import io.jpm.protocol.JpmException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pm2's flags given to apps that exist: merged into their options, or refused with nothing changed. */
class OptionChangesTest {
    @TempDir
    Path dir;

    private Vertx vertx;
    private final ProcessTable table = new ProcessTable();
    private OptionChanges changes;
    /** The apps on a socket of socket mode now. */
    private final Set<String> onASocket = new HashSet<>();

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        changes = new OptionChanges(vertx, table, onASocket::contains);
        Files.writeString(dir.resolve("server.py"), "import time\n");
    }

    @AfterEach
    void tearDown() {
        vertx.close();
    }

    private List<Instance> app(String name, int instances, Map<String, String> shellEnv) {
        return app(
                name,
                instances,
                shellEnv,
                new JsonObject().put("script", "server.py").put("env", new JsonObject().put("ROLE", "web")));
    }

    private List<Instance> app(String name, int instances, Map<String, String> shellEnv, JsonObject options) {
        AppConfig config = new AppConfigParser("test", dir, shellEnv)
                .parse(options.copy().put("name", name).put("instances", instances), null);
        List<Instance> made = new ArrayList<>();
        for (int index = 0; index < instances; index++) {
            int pmId = table.allocateId();
            Instance instance = new Instance(
                    pmId,
                    index,
                    config,
                    "/logs/" + name + "-out-" + pmId + ".log",
                    "/logs/" + name + "-error-" + pmId + ".log",
                    null,
                    "/pids/" + name + "-" + pmId + ".pid",
                    "box",
                    e -> {});
            table.add(instance);
            made.add(instance);
        }
        return made;
    }

    private List<Instance> apply(List<Instance> instances, Map<String, Object> options) throws Exception {
        return done(changes.apply(instances, options, dir));
    }

    private static <T> T done(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void theOptionsGivenApplyAndTheEnvStaysTheOneTheAppStartedWith() throws Exception {
        List<Instance> api = app("api", 2, Map.of("PATH", "/usr/bin:/bin", "SHELL_VAR", "then"));
        apply(
                api,
                Map.of(
                        "interpreter_args",
                        "--max-old-space-size=100",
                        "cron_restart",
                        "0 3 * * *",
                        "max_memory_restart",
                        "200M",
                        "kill_timeout",
                        5000L,
                        "args",
                        List.of("a", "b"),
                        "exec_mode",
                        "fork"));
        for (Instance i : api) {
            AppConfig c = i.config();
            assertEquals(List.of("--max-old-space-size=100"), c.interpreterArgs());
            assertEquals("0 3 * * *", c.watchdog().cronRestart());
            assertEquals(200L * 1024 * 1024, c.watchdog().maxMemoryBytes());
            assertEquals(5000, c.policy().killTimeoutMs());
            assertEquals(List.of("a", "b"), c.args());
            assertEquals("then", c.env().get("SHELL_VAR"), "the env it started with");
            assertEquals("web", c.env().get("ROLE"));
            assertEquals(2, c.instances());
        }
    }

    @Test
    void anOptionGivenAsNullGoesBackToItsDefault() throws Exception {
        // pm2's Utility.extendMix: `reload api --node-args=null` drops the node args given before
        List<Instance> api = app("api", 1, Map.of("PATH", "/usr/bin:/bin"));
        apply(api, Map.of("interpreter_args", "--max-old-space-size=100", "cron_restart", "0 3 * * *"));
        apply(api, Map.of("interpreter_args", "null"));
        assertEquals(List.of(), api.get(0).config().interpreterArgs());
        assertEquals("0 3 * * *", api.get(0).config().watchdog().cronRestart(), "only the option given as null");
    }

    /** pm2 7.0.4 after {@code reload echo --node-args=null}: no node_args in pm2_env, across restarts too. */
    @Test
    void nodeArgsGivenAsNullAreListedNoMoreUntilGivenAgain() throws Exception {
        List<Instance> api = app("api", 1, Map.of("PATH", "/usr/bin:/bin"));
        assertEquals(List.of(), listed(api.get(0)).get("node_args"), "every app lists node_args: []");
        apply(api, Map.of("interpreter_args", "--harmony"));
        assertEquals(List.of("--harmony"), listed(api.get(0)).get("node_args"));
        apply(api, Map.of("interpreter_args", "null"));
        assertEquals(
                false,
                listed(api.get(0)).containsKey("node_args"),
                listed(api.get(0)).toString());
        apply(api, Map.of("cron_restart", "0 3 * * *"));
        assertEquals(false, listed(api.get(0)).containsKey("node_args"), "an option given later keeps it out");
        apply(api, Map.of("interpreter_args", "--harmony"));
        assertEquals(List.of("--harmony"), listed(api.get(0)).get("node_args"));
    }

    /**
     * pm2 7.0.4 lists {@code args} only when the app gives them, an empty one as {@code []}, and its
     * empty module configuration under the app's name in pm2_env.env, not as a variable.
     */
    @Test
    void argsAreListedWhenGivenAndTheAppsNameWithAnEmptyConfiguration() throws Exception {
        Instance none = app("none", 1, Map.of()).get(0);
        Instance empty = app(
                        "empty",
                        1,
                        Map.of(),
                        new JsonObject().put("script", "server.py").put("args", ""))
                .get(0);
        Instance two = app(
                        "two",
                        1,
                        Map.of(),
                        new JsonObject().put("script", "server.py").put("args", "-v 2"))
                .get(0);
        assertEquals(false, listed(none).containsKey("args"));
        assertEquals(List.of(), listed(empty).get("args"));
        assertEquals(List.of("-v", "2"), listed(two).get("args"));
        Map<String, Object> pm2Env = Pm2EnvView.of(none, EnvView.VALUES).steadyMap();
        assertEquals(Map.of(), ((Map<?, ?>) pm2Env.get("env")).get("none"));
        assertEquals(false, pm2Env.containsKey("none"), "no variable of that name");
    }

    private static Map<String, Object> listed(Instance i) {
        return Pm2EnvView.of(i, EnvView.NONE).steadyMap();
    }

    @Test
    void aRenameKeepsTheLogAndPidFiles() throws Exception {
        Instance one = app("api", 1, Map.of()).get(0);
        apply(List.of(one), Map.of("name", "renamed"));
        assertEquals("renamed", one.name());
        assertEquals("/logs/api-out-0.log", one.outLog);
        assertEquals("/pids/api-0.pid", one.pidFile);
        assertEquals(List.of(one), table.named("renamed"));
    }

    @Test
    void aRenameIsOfOneWholeAppToAFreeName() {
        List<Instance> api = app("api", 2, Map.of());
        List<Instance> worker = app("worker", 1, Map.of());
        List<Instance> both = new ArrayList<>(api);
        both.addAll(worker);
        assertRefused(both, Map.of("name", "x"), "the targets are 2 apps");
        assertRefused(List.of(api.get(0)), Map.of("name", "x"), "renames a whole app");
        assertRefused(worker, Map.of("name", "api"), "an app named 'api' exists already");
    }

    /** pm2's app-config-update.sh renames a Node cluster app that listens on nothing: its socket would be by name. */
    @Test
    void aSocketModeAppIsRenamedUnlessItIsOnASocketNow() throws Exception {
        Files.writeString(dir.resolve("worker.js"), "setInterval(() => {}, 1000);\n");
        List<Instance> worker = app(
                "worker",
                1,
                Map.of(),
                new JsonObject().put("script", "worker.js").put("exec_mode", "cluster"));
        assertTrue(worker.get(0).config().balancer().sharesSocket());
        onASocket.add("worker");
        assertRefused(worker, Map.of("name", "w2"), "listens through a port or socket jpm holds for it by name");
        onASocket.clear();
        apply(worker, Map.of("name", "w2"));
        assertEquals("w2", worker.get(0).name());
    }

    @Test
    void theInstanceCountItRunsWithIsNoChangeAnotherIsRefused() throws Exception {
        List<Instance> api = app("api", 2, Map.of());
        apply(api, Map.of("instances", 2L));
        assertRefused(api, Map.of("instances", 3L), "jpm scale api 3");
    }

    @Test
    void aRefusedChangeChangesNothing() {
        List<Instance> api = app("api", 1, Map.of());
        AppConfig before = api.get(0).config();
        assertRefused(
                api,
                Map.of(
                        "interpreter_args",
                        "--x",
                        "out_file",
                        dir.resolve("elsewhere.log").toString()),
                "log files");
        assertRefused(
                api,
                Map.of(
                        "interpreter_args",
                        "--x",
                        "pid_file",
                        dir.resolve("api.pid").toString()),
                "pid file");
        assertRefused(api, Map.of("interpreter_args", "--x", "max_memory_restart", "lots"), "max_memory_restart");
        assertSame(before, api.get(0).config());
    }

    private void assertRefused(List<Instance> instances, Map<String, Object> options, String why) {
        JpmException e = assertThrows(JpmException.class, () -> apply(instances, options));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}
