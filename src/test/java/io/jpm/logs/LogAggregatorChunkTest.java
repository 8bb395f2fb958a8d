package io.jpm.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.LogChunk;
import io.jpm.protocol.OutputChunk;
import io.jpm.testkit.Eventually;
import io.jpm.verticle.OutputChunkCodec;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LogAggregator alone on a real event bus, fed pooled chunks the way God's relay sends them.
 * The proof that a pooled array is never reused while anyone can read it: every array is
 * scribbled over the moment the aggregator releases it (as a pool would hand it to the next chunk
 * at once) and the very same array carries the next chunk, yet the file and the live lines hold
 * exactly what was sent; and at each release the bytes are already on disk.
 */
@ExtendWith(VertxExtension.class)
class LogAggregatorChunkTest {
    @TempDir
    Path dir;

    private Path out;
    private LogChunk header;
    /** The one "pool" array, reused for every chunk. */
    private final byte[] array = new byte[64];

    private final List<String> onDiskAtRelease = new CopyOnWriteArrayList<>();
    private final List<String> live = new CopyOnWriteArrayList<>();
    private volatile boolean released;

    @BeforeEach
    void deploy(Vertx vertx, VertxTestContext test) {
        out = dir.resolve("app-out.log");
        header = new LogChunk("app", 0, LogChunk.STDOUT, out.toString(), "{}", 1);
        vertx.eventBus().registerCodec(new OutputChunkCodec());
        vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_LOG, m -> m.body()
                .getJsonArray("lines")
                .forEach(l -> live.add(((JsonObject) l).getString("line"))));
        JsonObject config = new JsonObject().put("host", "test").put("logs", new JsonObject());
        vertx.deployVerticle(
                        new LogAggregatorVerticle(),
                        new DeploymentOptions().setConfig(config).setThreadingModel(ThreadingModel.WORKER))
                .onComplete(test.succeedingThenComplete());
    }

    /** Sends {@code text} in the pool array (garbage after it), scribbled over once released. */
    private String send(Vertx vertx, String text, boolean eof) throws Exception {
        return send(vertx, header, text, eof);
    }

    private String send(Vertx vertx, LogChunk header, String text, boolean eof) throws Exception {
        released = false;
        Arrays.fill(array, (byte) '?');
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, array, 0, bytes.length);
        OutputChunk chunk = new OutputChunk(
                header,
                array,
                bytes.length,
                eof,
                a -> {
                    onDiskAtRelease.add(read());
                    Arrays.fill(a, (byte) '#'); // reused at once by the next chunk of any stream
                    released = true;
                },
                () -> {});
        var reply = vertx.eventBus()
                .request(Addresses.INTERNAL_LOG_CHUNK, chunk, new DeliveryOptions().setCodecName(OutputChunkCodec.NAME))
                .toCompletionStage()
                .toCompletableFuture();
        reply.get(30, TimeUnit.SECONDS);
        assertTrue(released, "released before the reply, and only then");
        return read();
    }

    private String read() {
        try {
            return Files.exists(out) ? Files.readString(out) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aReusedArrayNeverChangesWhatWasWrittenOrHeldRawLines(Vertx vertx) throws Exception {
        send(vertx, "1\n2\n3", false); // "3" is a partial line, held across the release
        send(vertx, "\n4\n5", false);
        send(vertx, "", true);
        assertEquals("1\n2\n3\n4\n5\n", read());
        assertEquals(
                List.of("1\n2\n", "1\n2\n3\n4\n", "1\n2\n3\n4\n5\n"),
                onDiskAtRelease,
                "each chunk on disk when released");
    }

    @Test
    void twoRunsOfOnePmIdKeepTheirPartialLinesApartThroughOneReusedArray(Vertx vertx) throws Exception {
        LogChunk newRun = new LogChunk("app", 0, LogChunk.STDOUT, out.toString(), "{}", 2);
        send(vertx, "old-", false);
        send(vertx, newRun, "new-", false);
        send(vertx, "end\n", true);
        send(vertx, newRun, "end\n", true);
        assertEquals("old-end\nnew-end\n", read());
    }

    @Test
    void aReusedArrayNeverChangesTheLiveLinesAFollowerGets(Vertx vertx) throws Exception {
        vertx.eventBus().publish(Addresses.INTERNAL_LOGS_LISTENERS, new JsonObject().put("count", 1));
        // handled in order by the worker verticle: once this is answered, the count above was applied
        vertx.eventBus()
                .request(Addresses.CMD_RELOAD_LOGS, new JsonObject())
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        send(vertx, "alpha\nbe", false);
        send(vertx, "ta\ngam", false);
        send(vertx, "ma", true);
        assertEquals("alpha\nbeta\ngamma\n", read());
        List<String> expected = new ArrayList<>(List.of("alpha", "beta", "gamma"));
        Eventually.until(
                () -> "the live lines " + expected + "; so far " + live,
                Eventually.TIMEOUT,
                () -> live.size() >= expected.size());
        assertEquals(expected, live);
    }
}
