package io.jpm.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.LogChunk;
import io.jpm.protocol.OutputChunk;
import io.jpm.verticle.OutputChunkCodec;
import io.jpm.verticle.Reply;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jpm.query.logs} on the LogAggregator alone (God's list of log files faked): only an app's
 * files are read, and the reply's {@code seq} splits the lines in the files from those of later
 * live batches, so a follower that drops the batches up to it sees each line once.
 */
@ExtendWith(VertxExtension.class)
class LogHistoryTest {
    @TempDir
    Path dir;

    private Path out;
    private LogChunk header;
    /** Every live batch published: (seq, lines). */
    private final List<JsonObject> batches = new CopyOnWriteArrayList<>();
    /** Completed by the first batch with the line "three". */
    private final CompletableFuture<Void> three = new CompletableFuture<>();

    @BeforeEach
    void deploy(Vertx vertx) throws Exception {
        out = dir.resolve("app-out.log");
        header = new LogChunk("app", 0, LogChunk.STDOUT, out.toString(), "{}", 1);
        vertx.eventBus().registerCodec(new OutputChunkCodec());
        vertx.eventBus()
                .<JsonObject>consumer(
                        Addresses.INTERNAL_GOD_LOG_FILES,
                        m -> m.reply(Reply.ok(new JsonObject().put("paths", new JsonArray().add(out.toString())))));
        vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_LOG, m -> {
            batches.add(m.body());
            if (m.body().encode().contains("\"three\"")) {
                three.complete(null);
            }
        });
        JsonObject config = new JsonObject().put("host", "test").put("logs", new JsonObject());
        vertx.deployVerticle(
                        new LogAggregatorVerticle(),
                        new DeploymentOptions().setConfig(config).setThreadingModel(ThreadingModel.WORKER))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    private void send(Vertx vertx, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        OutputChunk chunk = new OutputChunk(header, bytes, bytes.length, false, a -> {}, () -> {});
        vertx.eventBus()
                .request(Addresses.INTERNAL_LOG_CHUNK, chunk, new DeliveryOptions().setCodecName(OutputChunkCodec.NAME))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    private JsonObject ask(Vertx vertx, JsonObject body) throws Exception {
        return vertx.eventBus()
                .<JsonObject>request(Addresses.QUERY_LOGS, body)
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS)
                .body()
                .getJsonObject("data");
    }

    private ReplyException refused(Vertx vertx, JsonObject body) throws Exception {
        try {
            ask(vertx, body);
        } catch (ExecutionException e) {
            return (ReplyException) e.getCause();
        }
        throw new AssertionError("not refused: " + body);
    }

    @Test
    void onlyAnAppsLogFilesAreReadAndTheLinesMustBeANumber(Vertx vertx) throws Exception {
        ReplyException other = refused(
                vertx,
                new JsonObject()
                        .put("files", new JsonArray().add("/etc/passwd"))
                        .put("lines", 5));
        assertEquals(JpmError.INVALID_ARGUMENT.code(), other.failureCode());
        assertEquals("logs: /etc/passwd is no app's log file here", other.getMessage());
        ReplyException lines = refused(
                vertx,
                new JsonObject()
                        .put("files", new JsonArray().add(out.toString()))
                        .put("lines", "many"));
        assertEquals(JpmError.INVALID_ARGUMENT.code(), lines.failureCode());
        assertEquals(
                JpmError.INVALID_ARGUMENT.code(),
                refused(vertx, new JsonObject().put("files", new JsonArray()).put("lines", -1))
                        .failureCode());
    }

    @Test
    void theBatchesAfterTheReplysSeqHoldOnlyTheLinesWrittenAfterTheRead(Vertx vertx) throws Exception {
        // someone follows all along: the lines of the batch being gathered at the read are in the files too
        vertx.eventBus().publish(Addresses.INTERNAL_LOGS_LISTENERS, new JsonObject().put("count", 1));
        send(vertx, "one\ntwo\n");
        JsonObject reply = ask(
                vertx,
                new JsonObject()
                        .put("files", new JsonArray().add(out.toString()))
                        .put("lines", 5)
                        .put("follow", true));
        send(vertx, "three\n");
        JsonObject file = reply.getJsonArray("files").getJsonObject(0);
        assertEquals(new JsonArray().add("one").add("two"), file.getJsonArray("lines"));
        long seq = reply.getLong("seq");
        three.get(30, TimeUnit.SECONDS); // the next tick (100 ms) publishes it
        StringBuilder after = new StringBuilder();
        StringBuilder upTo = new StringBuilder();
        for (JsonObject batch : batches) {
            batch.getJsonArray("lines").forEach(l -> (batch.getLong("seq") > seq ? after : upTo)
                    .append(((JsonObject) l).getString("line"))
                    .append(' '));
        }
        assertEquals("three ", after.toString(), "after the reply's seq: only what came after the read");
        assertEquals("one two ", upTo.toString(), "up to it: the lines the reply holds");
        assertTrue(reply.getJsonArray("files").getJsonObject(0).getLong("mtime") > 0);
    }
}
