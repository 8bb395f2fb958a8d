package io.jpm.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.LogChunk;
import io.jpm.protocol.OutputChunk;
import io.jpm.protocol.StreamJournal;
import io.jpm.testkit.Eventually;
import io.jpm.verticle.OutputChunkCodec;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the LogAggregator tells a stream's output journal (launcher.OutputJournal): each chunk
 * taken, the files and their sizes before each write, and after it what is held back of an
 * unfinished line; an unfinished line written on its own after its wait is told too.
 */
@ExtendWith(VertxExtension.class)
class LogAggregatorJournalTest {
    @TempDir
    Path dir;

    private Path out;
    private Path combined;
    private LogChunk header;
    private final List<String> calls = new CopyOnWriteArrayList<>();

    private final StreamJournal journal = new StreamJournal() {
        @Override
        public void taken(int bytes) {
            calls.add("taken " + bytes);
        }

        @Override
        public void writing(List<Target> files) {
            calls.add("writing "
                    + files.stream()
                            .map(t -> dir.relativize(Path.of(t.path())) + "=" + t.size())
                            .toList());
        }

        @Override
        public void written(int held) {
            calls.add("written held " + held);
        }

        @Override
        public void skipped(int bytes) {
            calls.add("skipped " + bytes);
        }
    };

    @BeforeEach
    void deploy(Vertx vertx, VertxTestContext test) {
        out = dir.resolve("app-out.log");
        combined = dir.resolve("all.log");
        header = new LogChunk(
                "app",
                0,
                LogChunk.STDOUT,
                out.toString(),
                new JsonObject().put("log", combined.toString()).encode(),
                1);
        vertx.eventBus().registerCodec(new OutputChunkCodec());
        JsonObject config = new JsonObject().put("host", "test").put("logs", new JsonObject());
        vertx.deployVerticle(
                        new LogAggregatorVerticle(),
                        new DeploymentOptions().setConfig(config).setThreadingModel(ThreadingModel.WORKER))
                .onComplete(test.succeedingThenComplete());
    }

    private void send(Vertx vertx, String text, boolean eof) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        OutputChunk chunk = new OutputChunk(header, bytes, bytes.length, eof, null, () -> {}, journal);
        vertx.eventBus()
                .request(Addresses.INTERNAL_LOG_CHUNK, chunk, new DeliveryOptions().setCodecName(OutputChunkCodec.NAME))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    @Test
    void eachWriteIsToldBeforeAndAfterWithWhatIsHeld(Vertx vertx) throws Exception {
        send(vertx, "1\n2\n3", false); // "3" waits for the rest of its line
        send(vertx, "\n4\n", false);
        send(vertx, "", true);
        assertEquals(
                List.of(
                        "taken 5",
                        "writing [app-out.log=0, all.log=0]",
                        "written held 1",
                        "taken 3",
                        "writing [app-out.log=4, all.log=4]",
                        "written held 0",
                        "taken 0",
                        "writing [app-out.log=8, all.log=8]",
                        "written held 0"),
                calls);
    }

    @Test
    void anUnfinishedLineWrittenAfterItsWaitIsTold(Vertx vertx) throws Exception {
        send(vertx, "prompt> ", false);
        Eventually.await("the unfinished line written after its wait", () -> calls.size() >= 5 ? true : null);
        assertEquals(
                List.of(
                        "taken 8",
                        "writing [app-out.log=0, all.log=0]",
                        "written held 8",
                        "writing [app-out.log=0, all.log=0]",
                        "written held 0"),
                calls.subList(0, 5));
    }

    @Test
    void aChunkGivenUpIsSkipped() {
        byte[] bytes = "lost\n".getBytes(StandardCharsets.UTF_8);
        new OutputChunk(header, bytes, bytes.length, false, null, () -> {}, journal).abandon();
        assertEquals(List.of("skipped 5"), calls);
    }
}
