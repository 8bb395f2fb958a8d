package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** health, max_memory_restart, cron_restart, watch*, errored_retry: read through the app parser. */
class WatchdogOptionsParserTest {
    @TempDir
    Path dir;

    private ApiApp api;

    @BeforeEach
    void scripts() throws IOException {
        Files.createDirectories(dir.resolve("src"));
        api = new ApiApp(dir, "server.js", Map.of("PATH", "/usr/bin:/bin"));
    }

    private WatchdogOptions parse(String options) {
        return api.read(options).watchdog();
    }

    @Test
    void noneByDefault() {
        WatchdogOptions o = parse("");
        assertNull(o.health());
        assertEquals(0, o.maxMemoryBytes());
        assertNull(o.cronRestart());
        assertFalse(o.watch());
        assertEquals(WatchdogOptions.DEFAULT_IGNORE, o.ignoreWatch());
        assertEquals(0, o.erroredRetryMs());
    }

    @Test
    void healthWithDefaults() {
        HealthCheck h = parse(",\"health\":{\"http\":\"/healthz\"}").health();
        assertEquals(HealthCheck.Kind.HTTP, h.kind());
        assertEquals("/healthz", h.target());
        assertEquals(5000, h.intervalMs());
        assertEquals(1000, h.timeoutMs());
        assertEquals(3, h.unhealthyAfter());
        assertEquals(0, h.startPeriodMs());
    }

    @Test
    void healthInFull() {
        HealthCheck h = parse(",\"health\":{\"tcp\":\"127.0.0.1:8080\",\"interval\":\"2s\",\"timeout\":300,"
                        + "\"unhealthy_after\":5,\"start_period\":\"10s\"}")
                .health();
        assertEquals(new HealthCheck(HealthCheck.Kind.TCP, "127.0.0.1:8080", 2000, 300, 5, 10_000), h);
        assertEquals(h, HealthCheck.fromJson(h.toJson()));
        assertEquals("PORT", parse(",\"health\":{\"tcp\":true}").health().target());
        assertEquals(
                "curl -sf localhost:1/x",
                parse(",\"health\":{\"exec\":\"curl -sf localhost:1/x\"}")
                        .health()
                        .target());
    }

    @Test
    void badHealthIsRefusedByName() {
        api.refuses(",\"health\":\"/healthz\"", "health", "must be an object");
        api.refuses(",\"health\":{}", "health", "exactly one of http, tcp or exec");
        api.refuses(",\"health\":{\"http\":\"/a\",\"tcp\":80}", "health", "exactly one");
        api.refuses(",\"health\":{\"http\":\"healthz\"}", "health.http", "path starting with /");
        api.refuses(",\"health\":{\"tcp\":\"localhost:99999\"}", "health.tcp", "must be a port");
        api.refuses(",\"health\":{\"exec\":\"\"}", "health.exec", "command line");
        api.refuses(",\"health\":{\"http\":\"/a\",\"interval\":\"often\"}", "health.interval", "must be a duration");
        api.refuses(
                ",\"health\":{\"http\":\"/a\",\"interval\":\"1s\",\"timeout\":\"2s\"}",
                "health.timeout",
                "between 1ms and the interval");
        api.refuses(
                ",\"health\":{\"http\":\"/a\",\"unhealthy_after\":0}", "health.unhealthy_after", "whole number from 1");
        api.refuses(",\"health\":{\"http\":\"/a\",\"retries\":3}", "health.retries", "not a known health option");
    }

    @Test
    void memorySizesArePm2s() {
        assertEquals(
                300L * 1024 * 1024, parse(",\"max_memory_restart\":\"300M\"").maxMemoryBytes());
        assertEquals(
                1024L * 1024 * 1024, parse(",\"max_memory_restart\":\"1G\"").maxMemoryBytes());
        assertEquals(512L * 1024, parse(",\"max_memory_restart\":\"512K\"").maxMemoryBytes());
        assertEquals(
                200L * 1024 * 1024, parse(",\"max_memory_restart\":\"200mb\"").maxMemoryBytes());
        assertEquals(1_000_000, parse(",\"max_memory_restart\":1000000").maxMemoryBytes());
        api.refuses(",\"max_memory_restart\":\"lots\"", "max_memory_restart", "must be a size");
        api.refuses(",\"max_memory_restart\":0", "max_memory_restart", "must be a size");
    }

    @Test
    void cronWithFiveAndSixFields() {
        assertEquals("0 3 * * *", parse(",\"cron_restart\":\"0 3 * * *\"").cronRestart());
        assertEquals(
                "*/2 * * * * *", parse(",\"cron_restart\":\"*/2 * * * * *\"").cronRestart());
    }

    @Test
    void invalidCronIsRefusedWithTheReason() {
        api.refuses(",\"cron_restart\":\"every day\"", "cron_restart", "needs 5 fields");
        api.refuses(",\"cron_restart\":\"61 * * * *\"", "cron_restart", "is not a valid cron expression '61 * * * *'");
        api.refuses(",\"cron_restart\":5", "cron_restart", "must be a cron expression string");
    }

    @Test
    void watchTrueWatchesTheCwd() {
        WatchdogOptions o =
                parse(",\"watch\":true,\"watch_delay\":\"2s\",\"ignore_watch\":[\"node_modules\",\"*.log\"]");
        assertTrue(o.watch());
        assertEquals(List.of(dir.toString()), o.watchPaths());
        assertEquals(List.of("node_modules", "*.log"), o.ignoreWatch());
        assertEquals(2000, o.watchDelayMs());
    }

    @Test
    void watchOptionsArePm2sChokidarOptions() {
        WatchdogOptions o = parse(",\"watch\":true,\"ignore_watch\":[\"tmp\"],\"watch_options\":{\"usePolling\":true,"
                + "\"interval\":250,\"depth\":1,\"followSymlinks\":false,\"ignored\":[\"*.log\"],\"persistent\":true,"
                + "\"awaitWriteFinish\":{\"stabilityThreshold\":700,\"pollInterval\":100}}");
        assertEquals(new WatchOptions(false, true, 250, 1), o.watchOptions());
        assertEquals(List.of("*.log"), o.ignoreWatch(), "chokidar's ignored replaces ignore_watch, as pm2 merges them");
        assertEquals(700, o.watchDelayMs(), "awaitWriteFinish: no restart before the files rest that long");
        assertEquals(
                2000, parse(",\"watch_options\":{\"awaitWriteFinish\":true}").watchDelayMs());
        assertEquals(WatchOptions.DEFAULTS, parse("").watchOptions());
        assertTrue(parse("").watchOptions().followSymlinks(), "chokidar follows links unless told not to");
    }

    @Test
    void aChokidarOptionJpmDoesNotActOnIsAWarning() {
        // pm2 hands watch_options to chokidar, which ignores what it does not know (useFsEvents is macOS's)
        AppConfig app = api.parser.parse(
                new JsonObject("{\"name\":\"api\",\"script\":\"server.js\","
                        + "\"watch_options\":{\"usepolling\":true,\"useFsEvents\":false}}"),
                null);
        assertEquals(2, app.warnings().size(), app.warnings().toString());
        assertTrue(
                app.warnings()
                        .get(0)
                        .startsWith(ApiApp.WHERE
                                + ": app 'api': option 'watch_options.usepolling' is not a chokidar option"),
                app.warnings().toString());
        assertTrue(
                app.warnings().get(0).contains("did you mean 'usePolling'?"),
                app.warnings().toString());
        assertEquals(WatchOptions.DEFAULTS, app.watchdog().watchOptions());
    }

    @Test
    void badWatchOptionsAreRefusedByName() {
        api.refuses(",\"watch_options\":true", "watch_options", "must be an object of chokidar options");
        api.refuses(",\"watch_options\":{\"usePolling\":\"yes\"}", "watch_options.usePolling", "must be true or false");
        api.refuses(",\"watch_options\":{\"depth\":-1}", "watch_options.depth", "whole number");
        api.refuses(",\"watch_options\":{\"interval\":0}", "watch_options.interval", "positive number");
        api.refuses(",\"watch_options\":{\"ignored\":[\"[a-\"]}", "watch_options.ignored", "bad regular expression");
        api.refuses(
                ",\"watch_options\":{\"awaitWriteFinish\":{\"stable\":1}}",
                "watch_options.awaitWriteFinish.stable",
                "stabilityThreshold");
    }

    /** pm2's watch takes chokidar's globs (its own test watches ["**"]): the folder before the wildcard is watched. */
    @Test
    void aGlobWatchesTheFolderBeforeItsWildcard() {
        WatchdogOptions o = parse(",\"watch\":[\"**\",\"src/**/*.js\",\"/etc/*.conf\"]");
        assertEquals(List.of(dir.toString(), dir.resolve("src").toString(), "/etc"), o.watchPaths());
        assertEquals("/", WatchdogOptionsParser.globBase("/**"));
        assertEquals("lib/a.js", WatchdogOptionsParser.globBase("lib/a.js"));
    }

    @Test
    void watchPathsAreResolvedAgainstTheCwd() {
        WatchdogOptions o = parse(",\"watch\":[\"src\",\"/etc/app.conf\"],\"ignore_watch\":\"tmp\"");
        assertEquals(List.of(dir.resolve("src").toString(), "/etc/app.conf"), o.watchPaths());
        assertEquals(List.of("tmp"), o.ignoreWatch());
        assertEquals(WatchdogOptions.MIN_WATCH_DELAY_MS, o.watchDelayMs());
        assertFalse(parse(",\"watch\":false").watch());
        api.refuses(",\"watch\":[]", "watch", "non-empty array");
        api.refuses(",\"watch\":3", "watch", "must be a string or an array");
        api.refuses(",\"ignore_watch\":[\"[a-\"]", "ignore_watch", "bad regular expression");
        api.refuses(",\"watch_delay\":\"soon\"", "watch_delay", "must be a duration");
    }

    @Test
    void erroredRetry() {
        assertEquals(60_000, parse(",\"errored_retry\":\"60s\"").erroredRetryMs());
        api.refuses(",\"errored_retry\":\"later\"", "errored_retry", "must be a duration");
    }

    @Test
    void optionsSurviveTheirJson() {
        WatchdogOptions o = parse(",\"watch\":[\"src\"],\"max_memory_restart\":\"1G\",\"cron_restart\":\"0 3 * * *\","
                + "\"errored_retry\":\"1m\",\"health\":{\"exec\":\"true\"}");
        assertEquals(o, WatchdogOptions.fromJson(o.toJson()));
        assertEquals(
                o.withWatch(false, "/x"),
                WatchdogOptions.fromJson(o.withWatch(false, "/x").toJson()));
    }
}
