package io.jpm.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.LogChunk;
import io.jpm.protocol.OutputChunk;
import io.jpm.testkit.Eventually;
import io.jpm.verticle.Generation;
import io.jpm.verticle.OutputChunkCodec;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LogAggregator replaced by a fresh one (Satan redeploys it when its thread hangs, e.g. on a log
 * "disk" that does not move) never cuts a line: the unfinished line the old one holds is finished
 * by the new one. LogsIT's stalled-disk test read line 12774 back as "1277" then "4": the old
 * aggregator ended its held "1277" with a newline when it stopped.
 */
@ExtendWith(VertxExtension.class)
class LogAggregatorRedeployTest {
    @TempDir
    Path dir;

    private Path out;
    private LogChunk header;

    @BeforeEach
    void setUp(Vertx vertx) {
        out = dir.resolve("app-out.log");
        header = new LogChunk("app", 0, LogChunk.STDOUT, out.toString(), "{}", 1);
        vertx.eventBus().registerCodec(new OutputChunkCodec());
    }

    private static String deploy(Vertx vertx, int generation) throws Exception {
        Generation.declare(vertx, "logs", generation);
        JsonObject config = new JsonObject()
                .put("host", "test")
                .put("logs", new JsonObject())
                .put(Generation.GENERATION, generation);
        return await(vertx.deployVerticle(
                new LogAggregatorVerticle(),
                new DeploymentOptions().setConfig(config).setThreadingModel(ThreadingModel.WORKER)));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private void send(Vertx vertx, String text, boolean eof) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        OutputChunk chunk = new OutputChunk(header, bytes, bytes.length, eof, null, () -> {});
        await(vertx.eventBus()
                .request(
                        Addresses.INTERNAL_LOG_CHUNK,
                        chunk,
                        new DeliveryOptions().setCodecName(OutputChunkCodec.NAME)));
    }

    private String read() {
        try {
            return Files.exists(out) ? Files.readString(out) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aLineHeldWhenTheAggregatorIsReplacedIsFinishedByTheFreshOne(Vertx vertx) throws Exception {
        String old = deploy(vertx, 1);
        send(vertx, "12773\n1277", false);
        deploy(vertx, 2);
        await(vertx.undeploy(old));
        send(vertx, "4\n12775\n", true);
        assertEquals("12773\n12774\n12775\n", read());
    }

    @Test
    void anAggregatorReplacedWhileItWritesAChunkLeavesItsUnfinishedLineToTheFreshOne(Vertx vertx) throws Exception {
        String old = deploy(vertx, 1);
        Generation.declare(vertx, "logs", 2); // replaced while its thread was stuck in this chunk's write
        send(vertx, "12773\n1277", false);
        deploy(vertx, 2);
        send(vertx, "4\n12775\n", false);
        await(vertx.undeploy(old));
        send(vertx, "12776\n", true);
        assertEquals("12773\n12774\n12775\n12776\n", read());
    }

    @Test
    void theRestOfALineBegunOnDiskGoesOnTheSameLineAfterAReplacement(Vertx vertx) throws Exception {
        String old = deploy(vertx, 1);
        send(vertx, "prompt> ", false);
        Eventually.until(
                () -> "the unfinished line written after " + LogAggregatorVerticle.HELD_LINE_MS + " ms: " + read(),
                Eventually.TIMEOUT,
                () -> read().equals("prompt> "));
        deploy(vertx, 2);
        await(vertx.undeploy(old));
        send(vertx, "yes\nnext\n", true);
        assertEquals("prompt> yes\nnext\n", read());
    }
}
