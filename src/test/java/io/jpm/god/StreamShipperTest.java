package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.LogChunk;
import io.jpm.protocol.OutputChunk;
import io.jpm.testkit.Eventually;
import io.jpm.verticle.OutputChunkCodec;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One stream's shipper against a stand-in aggregator on a real event bus. The stand-in keeps each
 * chunk a while before releasing it, and checks when it releases that the array still holds what
 * it held on arrival: the shipper gathering the next chunk meanwhile must never write into an
 * array it gave away. Everything shipped arrives once, in order, and a flood reuses its arrays.
 */
class StreamShipperTest {
    private Vertx vertx;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    /** Each chunk's text and whether it said the run was being stopped. */
    private final List<String> marks = new CopyOnWriteArrayList<>();

    @BeforeEach
    void bus() {
        vertx = Vertx.vertx();
        vertx.eventBus().registerCodec(new OutputChunkCodec());
        vertx.eventBus().<OutputChunk>localConsumer(Addresses.INTERNAL_LOG_CHUNK, m -> {
            OutputChunk chunk = m.body();
            byte[] onArrival = Arrays.copyOf(chunk.bytes(), chunk.length());
            marks.add(new String(onArrival, StandardCharsets.UTF_8) + (chunk.duringStop() ? " during the stop" : ""));
            synchronized (received) {
                received.writeBytes(onArrival);
            }
            vertx.setTimer(
                    3,
                    t -> { // "writing": the shipper gathers the next chunk meanwhile
                        if (!Arrays.equals(onArrival, Arrays.copyOf(chunk.bytes(), chunk.length()))) {
                            problems.add("a chunk's array changed before its release");
                        }
                        boolean eof = chunk.eof();
                        chunk.release();
                        m.reply(null);
                        if (eof) {
                            ended.complete(null);
                        }
                    });
        });
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aGivenAwayArrayIsNeverWrittenBeforeItsReleaseAndAFloodReusesItsArrays() throws Exception {
        StreamShipper shipper = new StreamShipper(vertx, new LogChunk("app", 0, LogChunk.STDOUT, "/dev/null", "{}", 1));
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        long allocatedBefore = StreamShipper.POOL.allocated();
        byte[] read = new byte[60 * 1024]; // a NuProcess read
        for (int i = 0; i < 600; i++) { // 36 MB, about 36 chunks of 1 MiB
            Arrays.fill(read, (byte) ('a' + i % 26));
            read[read.length - 1] = '\n';
            shipper.ship(ByteBuffer.wrap(read));
            sent.writeBytes(read);
        }
        shipper.end();
        ended.get(60, TimeUnit.SECONDS);
        assertEquals(List.of(), problems);
        synchronized (received) {
            assertArrayEquals(sent.toByteArray(), received.toByteArray(), "every byte once, in order");
        }
        long allocated = StreamShipper.POOL.allocated() - allocatedBefore;
        assertTrue(
                allocated <= 2,
                "one array gathering, one being written, reused for 36 MB: " + allocated + " allocated");
    }

    /** Issue 62: from the stop God asked on, every chunk says so, the stream's end (read after the exit) too. */
    @Test
    void chunksAfterAStopWasAskedSaySo() throws Exception {
        StreamShipper shipper = new StreamShipper(vertx, new LogChunk("app", 0, LogChunk.STDERR, "/dev/null", "{}", 1));
        shipper.ship(ByteBuffer.wrap("working\n".getBytes(StandardCharsets.UTF_8)));
        Eventually.await("the first chunk", () -> marks.isEmpty() ? null : true);
        shipper.stopAsked();
        shipper.ship(ByteBuffer.wrap("KeyboardInterrupt\n".getBytes(StandardCharsets.UTF_8)));
        shipper.end();
        ended.get(60, TimeUnit.SECONDS);
        assertEquals("working\n", marks.get(0));
        List<String> after = marks.subList(1, marks.size());
        assertTrue(after.stream().allMatch(m -> m.endsWith(" during the stop")), marks.toString());
        assertEquals("KeyboardInterrupt\n", String.join("", after).replace(" during the stop", ""), marks.toString());
    }

    @Test
    void aStreamOutOfRoomIsPausedNotWaitedForAndResumedOnceItsChunkIsWritten() throws Exception {
        StreamShipper shipper = new StreamShipper(vertx, new LogChunk("app", 0, LogChunk.STDOUT, "/dev/null", "{}", 1));
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        Semaphore resumed = new Semaphore(0);
        int pauses = 0;
        byte[] read = new byte[StreamShipper.MAX_READ]; // a pump's read
        for (int i = 0; i < 600; i++) { // 39 MB
            Arrays.fill(read, (byte) ('a' + i % 26));
            read[read.length - 1] = '\n';
            sent.writeBytes(read);
            if (!shipper.offer(ByteBuffer.wrap(read), resumed::release)) {
                pauses++; // the pump reads this stream no more until told
                assertTrue(resumed.tryAcquire(60, TimeUnit.SECONDS), "resumed once the chunk in flight is written");
            }
        }
        shipper.end();
        ended.get(60, TimeUnit.SECONDS);
        assertTrue(pauses > 0, "a flood fills the room while a chunk is written");
        assertEquals(0, resumed.availablePermits(), "one resume per pause");
        synchronized (received) {
            assertArrayEquals(sent.toByteArray(), received.toByteArray(), "every byte once, in order");
        }
    }
}
