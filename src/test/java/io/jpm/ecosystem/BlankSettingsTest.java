package io.jpm.ecosystem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.protocol.Addresses;
import io.jpm.testkit.Eventually;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * jpm.json written in place (an editor, `>`) is empty for a moment: a scan that reads it then must
 * not apply the defaults (a cluster left and joined again, the web server switched off and on: seen
 * in CI). An empty file still empty a moment later is meant, and its defaults apply.
 */
@ExtendWith(VertxExtension.class)
class BlankSettingsTest {
    @TempDir
    Path dir;

    private Path settings;
    private final List<JsonObject> published = new CopyOnWriteArrayList<>();
    /** The watcher's log lines (jpm.config), held in a field: java.util.logging keeps loggers weakly. */
    private final List<String> watcherLog = new CopyOnWriteArrayList<>();

    private final Logger configLog = Logger.getLogger("jpm.config");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            watcherLog.add(new SimpleFormatter().formatMessage(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureLog() {
        configLog.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        configLog.removeHandler(capture);
    }

    @BeforeEach
    void deploy(Vertx vertx, VertxTestContext test) throws Exception {
        settings = Files.writeString(dir.resolve("jpm.json"), "{\"persist\":{\"auto_dump\":false}}");
        vertx.eventBus().<JsonObject>consumer(Addresses.INTERNAL_SETTINGS, m -> published.add(m.body()));
        JsonObject config = new JsonObject()
                .put("settingsFile", settings.toString())
                .put("home", dir.toString())
                .put("scanPeriodMs", 100);
        vertx.deployVerticle(new ConfigWatcherVerticle(), new DeploymentOptions().setConfig(config))
                .onComplete(test.succeedingThenComplete());
    }

    /** Waits until the watch has its baseline: an edit is applied, and forgotten here. */
    private void watching() throws Exception {
        // written until one edit is applied: an edit before the watch's first read is its baseline
        int[] edits = {0};
        Eventually.await("the watch running", () -> {
            if (!published.isEmpty()) {
                return true;
            }
            write("{\"persist\":{\"auto_dump\":false},\"ecosystem\":{\"strict\":false}}" + " ".repeat(++edits[0]));
            return null;
        });
        write("{\"persist\":{\"auto_dump\":false},\"ecosystem\":{\"strict\":true}}");
        Eventually.await(
                "the baseline applied",
                () -> published.stream()
                                .anyMatch(p -> p.getJsonObject("ecosystem").getBoolean("strict", false))
                        ? true
                        : null);
        published.clear();
    }

    private void write(String text) {
        try {
            Files.writeString(settings, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean autoDump(JsonObject settings) {
        return settings.getJsonObject("persist", new JsonObject()).getBoolean("auto_dump", true);
    }

    @Test
    void aFileEmptiedForAMomentWhileWrittenDoesNotApplyTheDefaults() throws Exception {
        watching();
        Files.writeString(settings, "");
        // empty across at least two scans (100 ms apart), then written: well within the recheck (1 s)
        long emptyUntil = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < emptyUntil) {
            Thread.onSpinWait();
        }
        Files.writeString(settings, "{\"persist\":{\"auto_dump\":false},\"satan\":{}}");
        JsonObject applied =
                Eventually.await("the filled file applied", () -> published.isEmpty() ? null : published.get(0));
        assertEquals(false, autoDump(applied), "the defaults of an empty file never applied: " + published);
        // the recheck has run (it says so) and applied nothing: the filled file's settings stay the only ones
        Eventually.await(
                "the recheck's line",
                () -> watcherLog.stream().anyMatch(l -> l.contains("was empty for a moment")) ? true : null);
        assertEquals(1, published.size(), published.toString());
    }

    @Test
    void aFileLeftEmptyAppliesTheDefaults() throws Exception {
        watching();
        Files.writeString(settings, "");
        JsonObject applied =
                Eventually.await("the empty file applied", () -> published.isEmpty() ? null : published.get(0));
        assertEquals(true, autoDump(applied));
    }
}
