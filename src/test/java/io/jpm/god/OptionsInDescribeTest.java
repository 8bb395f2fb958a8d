package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jpm.config.AppConfig;
import io.jpm.config.AppConfigParser;
import io.jpm.config.LogPaths;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each option's declaration names where describe and jlist show it ({@link AppOption#describedAs}):
 * an app given the option shows something else at that key than the same app without it, and an
 * app that does not give it shows the declared default there. A renamed key in Describer, or a
 * declaration that names the wrong one, fails here.
 */
class OptionsInDescribeTest {
    private static final int PORT = 39_999;
    /** Options whose key shows what they change, not their own value: the default is not listed as such. */
    private static final Set<AppOption> DERIVED = Set.of(
            AppOption.EXEC_MODE, // listed as "fork_mode"
            AppOption.TIME,
            AppOption.LOG_DATE_FORMAT, // the format it stands for
            AppOption.FILTER_ENV, // the env it leaves
            AppOption.APPEND_ENV_TO_NAME); // the name it makes

    /** Options pm2 lists in pm2_env only when the app gives them. */
    private static final Set<AppOption> LISTED_WHEN_GIVEN =
            Set.of(AppOption.WAIT_READY, AppOption.SHUTDOWN_WITH_MESSAGE, AppOption.TRACE);

    @TempDir
    Path dir;

    /** A value of each option that differs from its default, with what else the app needs for it to apply. */
    private final Map<AppOption, Sample> samples = new EnumMap<>(AppOption.class);

    record Sample(Object value, JsonObject needs) {}

    @BeforeEach
    void samples() throws IOException {
        Files.writeString(dir.resolve("server.py"), "import time\n");
        Files.writeString(dir.resolve("other.py"), "import time\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/server.py"), "import time\n");
        JsonObject balanced = new JsonObject().put("port", PORT).put("instances", 2);
        sample(AppOption.NAME, "other");
        sample(AppOption.SCRIPT, "other.py");
        sample(AppOption.ARGS, new JsonArray().add("--x"));
        sample(AppOption.INTERPRETER, "bash");
        sample(AppOption.INTERPRETER_ARGS, "-u");
        sample(AppOption.CWD, "sub");
        sample(AppOption.INSTANCES, 2);
        sample(AppOption.EXEC_MODE, "cluster");
        sample(AppOption.ENV, new JsonObject().put("A", "1"));
        sample(AppOption.AUTORESTART, false);
        sample(AppOption.MAX_RESTARTS, 3);
        sample(AppOption.MIN_UPTIME, "5s");
        sample(AppOption.RESTART_DELAY, 100);
        sample(AppOption.EXP_BACKOFF_RESTART_DELAY, 100);
        sample(AppOption.STOP_EXIT_CODES, new JsonArray().add(3));
        sample(AppOption.KILL_TIMEOUT, "3s");
        sample(AppOption.KILL_SIGNAL, "SIGTERM");
        sample(AppOption.TREEKILL, false);
        sample(AppOption.WAIT_READY, true);
        sample(AppOption.LISTEN_TIMEOUT, 5000);
        sample(AppOption.SHUTDOWN_WITH_MESSAGE, true);
        sample(AppOption.PMX, false);
        sample(AppOption.AUTOMATION, false);
        sample(AppOption.OUT_FILE, "out.log");
        sample(AppOption.ERROR_FILE, "err.log");
        sample(AppOption.LOG_FILE, true);
        sample(AppOption.MERGE_LOGS, false);
        sample(AppOption.LOG_DATE_FORMAT, "YYYY");
        sample(AppOption.TIME, true);
        sample(AppOption.LOG_TYPE, "json");
        sample(AppOption.DISABLE_LOGS, true);
        sample(AppOption.NAMESPACE, "web");
        sample(AppOption.PID_FILE, "app.pid");
        sample(AppOption.AUTOSTART, false);
        sample(AppOption.UID, "nobody");
        sample(AppOption.FILTER_ENV, true);
        sample(AppOption.PORT, 4000);
        samples.put(AppOption.HOST, new Sample("0.0.0.0", balanced));
        samples.put(AppOption.BALANCE, new Sample("least-connections", balanced));
        sample(AppOption.INSTANCE_VAR, "INSTANCE_ID");
        sample(AppOption.INCREMENT_VAR, "PORT");
        sample(AppOption.APPEND_ENV_TO_NAME, true);
        sample(AppOption.NAME_PREFIX, "web");
        sample(AppOption.WATCH, true);
        sample(AppOption.IGNORE_WATCH, new JsonArray().add("tmp"));
        sample(AppOption.WATCH_DELAY, 500);
        sample(AppOption.WATCH_OPTIONS, new JsonObject().put("usePolling", true));
        sample(AppOption.MAX_MEMORY_RESTART, "300M");
        sample(AppOption.CRON_RESTART, "0 * * * *");
        sample(AppOption.METRICS_URL, "/metrics");
        sample(AppOption.ERRORED_RETRY, "10s");
        sample(AppOption.HEALTH, new JsonObject().put("http", "/healthz"));
        sample(AppOption.TRACE, true);
    }

    private void sample(AppOption option, Object value) {
        samples.put(option, new Sample(value, new JsonObject()));
    }

    @Test
    void anOptionGivenChangesWhatDescribeShowsUnderItsDeclaredKey() throws IOException {
        List<String> problems = new ArrayList<>();
        for (AppOption option : AppOption.values()) {
            if (option.describedAs == null || (option == AppOption.UID && !isRoot())) {
                continue; // uid needs a root daemon
            }
            Sample sample = samples.get(option);
            assertNotNull(sample, option.key + " is shown as " + option.describedAs + ": give it a sample here");
            Object without = at(describe(sample.needs()), option.describedAs);
            Object with = at(describe(sample.needs().copy().put(option.key, sample.value())), option.describedAs);
            if (with == null || with.equals(without)) {
                problems.add(option.key + " (" + sample.value() + "): " + option.describedAs + " is " + with
                        + " with it, " + without + " without");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void anOptionLeftOutIsDescribedWithItsDeclaredDefault() throws IOException {
        List<String> problems = new ArrayList<>();
        for (AppOption option : AppOption.values()) {
            if (option.describedAs == null || option.defaultValue == null || DERIVED.contains(option)) {
                continue;
            }
            Object shown = at(describe(samples.get(option).needs()), option.describedAs);
            Object expected = LISTED_WHEN_GIVEN.contains(option) ? null : String.valueOf(option.defaultValue);
            if (!String.valueOf(expected).equals(String.valueOf(shown))) {
                problems.add(
                        option.key + " at " + option.describedAs + ": " + shown + ", declared " + option.defaultValue);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void anIgnoredOptionIsListedInPm2EnvAsGiven() throws IOException {
        for (String option : AppOption.IGNORED) {
            if (!option.equals("username")) { // pm2_env.username is who runs the app
                assertEquals(12345, at(describe(new JsonObject().put(option, 12345)), "pm2_env." + option), option);
            }
        }
    }

    @Test
    void automationOffTurnsPmxOffWhateverPmxSaysAsUnderPm2() throws IOException {
        // pm2 7.0.4, {"automation": false, "pmx": true}: pm2_env.pmx false, no axm_monitor, the same in dump.pm2
        JsonObject options = new JsonObject().put("automation", false).put("pmx", true);
        AppConfig config = parse(options);
        assertFalse(config.ecosystem().pmx());
        assertEquals(false, config.source().getValue("pmx"));
        assertEquals(false, at(describe(options), "pm2_env.pmx"));
        assertEquals(true, at(describe(new JsonObject()), "pm2_env.automation"));
        assertFalse(
                parse(new JsonObject().put("automation", "false")).ecosystem().pmx());
        JpmException e = assertThrows(JpmException.class, () -> parse(new JsonObject().put("automation", 3)));
        assertEquals("test: app 'api': option 'automation' must be true or false, got 3", e.getMessage());
    }

    @Test
    void aKeyThatDoesNotExistIsSeenAsMissing() throws IOException {
        assertNotEquals(null, at(describe(new JsonObject()), "pm2_env.kill_timeout"));
        assertEquals(null, at(describe(new JsonObject()), "pm2_env.kill_timeout_ms"));
    }

    /** App "api" (server.py) with these options, read with --env prod. */
    private AppConfig parse(JsonObject options) {
        JsonObject app =
                new JsonObject().put("script", "server.py").put("name", "api").mergeIn(options);
        return new AppConfigParser("test", dir, Map.of("PATH", "/usr/bin:/bin", "FOO", "1")).parse(app, "prod");
    }

    /** The description of app "api" (server.py) with these options, read with --env prod. */
    private JsonObject describe(JsonObject options) throws IOException {
        AppConfig config = parse(options);
        LogPaths logs = LogPaths.of(config, dir.resolve("logs"), 0);
        Instance i = new Instance(
                0,
                0,
                config,
                logs.out(),
                logs.err(),
                logs.log(),
                PidFiles.path(config, 0, dir.resolve("pids")),
                "box",
                e -> {});
        return new Describer("box").describe(i, System.currentTimeMillis(), true);
    }

    /** The value at a dotted path ({@code pm2_env.env.PORT}), null when any step is missing. */
    private static Object at(JsonObject described, String path) {
        Object value = described;
        for (String step : path.split("\\.")) {
            if (!(value instanceof JsonObject object)) {
                return null;
            }
            value = object.getValue(step);
        }
        return value;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
