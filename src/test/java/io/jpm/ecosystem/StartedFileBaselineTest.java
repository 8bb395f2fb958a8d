package io.jpm.ecosystem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.protocol.Addresses;
import io.jpm.testkit.Eventually;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * God tells the watcher what a start read from an ecosystem file. An edit saved between that read
 * and the watch's first look (a save right after `jpm start`, seen in CI on a loaded machine) was
 * the watch's baseline, so it was never applied; it is a change.
 */
@ExtendWith(VertxExtension.class)
class StartedFileBaselineTest {
    @TempDir
    Path dir;

    private final List<String> applied = new CopyOnWriteArrayList<>();

    @BeforeEach
    void deploy(Vertx vertx, VertxTestContext test) {
        vertx.eventBus().<JsonObject>consumer(Addresses.INTERNAL_GOD_APPLY, m -> {
            applied.add(m.body().getString("text"));
            m.reply(new JsonObject().put("ok", true).put("data", new JsonObject()));
        });
        JsonObject config = new JsonObject().put("home", dir.toString()).put("scanPeriodMs", 100);
        vertx.deployVerticle(new ConfigWatcherVerticle(), new DeploymentOptions().setConfig(config))
                .onComplete(test.succeedingThenComplete());
    }

    private static void watch(Vertx vertx, Path file, String startRead) {
        vertx.eventBus()
                .send(
                        Addresses.INTERNAL_CONFIG_WATCH,
                        new JsonObject()
                                .put("file", file.toString())
                                .put("watch", true)
                                .put("text", startRead));
    }

    @Test
    void anEditSavedBeforeTheWatchLooksIsApplied(Vertx vertx) throws Exception {
        Path file = Files.writeString(dir.resolve("eco.json"), "{\"apps\":[{\"name\":\"a\",\"script\":\"v2\"}]}");
        watch(vertx, file, "{\"apps\":[{\"name\":\"a\",\"script\":\"v1\"}]}");
        String first = Eventually.await("the edit applied", () -> applied.isEmpty() ? null : applied.get(0));
        assertEquals(Files.readString(file), first);
    }

    @Test
    void theTextTheStartReadIsNotAppliedAgain(Vertx vertx) throws Exception {
        String started = "{\"apps\":[{\"name\":\"a\",\"script\":\"v1\"}]}";
        Path file = Files.writeString(dir.resolve("eco.json"), started);
        watch(vertx, file, started);
        String edit = "{\"apps\":[{\"name\":\"a\",\"script\":\"v3\"}]}";
        // saved until applied: a save before the watch follows the folder is only seen by the next look
        String first = Eventually.await("the later edit applied", () -> {
            if (applied.isEmpty()) {
                try {
                    Files.writeString(file, edit);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return null;
            }
            return applied.get(0);
        });
        assertEquals(edit, first, "the first text applied is the edit, not what the start read: " + applied);
    }

    @Test
    void aFileEmptiedForAMomentWhileWrittenIsNotApplied(Vertx vertx) throws Exception {
        String started = "{\"apps\":[{\"name\":\"a\",\"script\":\"v1\"}]}";
        Path file = Files.writeString(dir.resolve("eco.json"), started);
        watch(vertx, file, started);
        Files.writeString(file, "");
        // empty across at least two looks (100 ms apart), then written: well within the recheck (1 s)
        long emptyUntil = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < emptyUntil) {
            Thread.onSpinWait();
        }
        String edit = "{\"apps\":[{\"name\":\"a\",\"script\":\"v4\"}]}";
        Files.writeString(file, edit);
        String first = Eventually.await("the filled file applied", () -> applied.isEmpty() ? null : applied.get(0));
        assertEquals(edit, first, "an empty moment is not sent to God: " + applied);
    }
}
