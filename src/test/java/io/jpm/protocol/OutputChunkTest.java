package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.verticle.OutputChunkCodec;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutputChunkTest {
    private static final LogChunk HEADER = new LogChunk("app", 3, LogChunk.STDOUT, "/tmp/x-out.log", "{}", 7);
    private final List<byte[]> recycled = new ArrayList<>();
    private final AtomicInteger settled = new AtomicInteger();

    private OutputChunk chunk(byte[] bytes) {
        return new OutputChunk(HEADER, bytes, bytes.length, false, recycled::add, settled::incrementAndGet);
    }

    @Test
    void releaseGivesTheArrayBackAndTheCreditOnce() {
        OutputChunk c = chunk(new byte[8]);
        c.release();
        c.release();
        assertEquals(1, recycled.size());
        assertEquals(1, settled.get());
        assertTrue(c.settled());
    }

    @Test
    void anAbandonedChunksArrayIsNeverReusedEvenWhenALateConsumerReleasesIt() {
        OutputChunk c = chunk(new byte[8]);
        c.abandon(); // no answer in time: the consumer may still be reading
        c.release(); // the consumer, late
        assertEquals(0, recycled.size(), "a late reader may still hold it: never back to the pool");
        assertEquals(1, settled.get());
    }

    @Test
    void aFailureReportedAfterTheReleaseChangesNothing() {
        OutputChunk c = chunk(new byte[8]);
        c.release();
        c.abandon();
        assertEquals(1, recycled.size());
        assertEquals(1, settled.get());
    }

    @Test
    void aLengthOutsideTheArrayIsRefused() {
        assertThrows(
                IllegalArgumentException.class, () -> new OutputChunk(HEADER, new byte[4], 5, false, null, () -> {}));
    }

    @Test
    void theCodecHandsTheSameObjectToALocalConsumer() {
        OutputChunk c = chunk(new byte[8]);
        assertTrue(new OutputChunkCodec().transform(c) == c);
    }

    @Test
    void theWireFormCopiesTheBytesSoReusingTheArrayCannotChangeWhatWasSent() {
        byte[] pooled = "one\ntwo\nXXXX".getBytes(StandardCharsets.UTF_8);
        OutputChunk c = new OutputChunk(HEADER, pooled, 8, true, recycled::add, settled::incrementAndGet);
        OutputChunkCodec codec = new OutputChunkCodec();
        Buffer wire = Buffer.buffer().appendString("prefix");
        codec.encodeToWire(wire, c);
        c.release();
        Arrays.fill(pooled, (byte) '#'); // the array is reused at once
        OutputChunk decoded = codec.decodeFromWire(6, wire);
        assertNotSame(pooled, decoded.bytes());
        assertArrayEquals(
                "one\ntwo\n".getBytes(StandardCharsets.UTF_8), Arrays.copyOf(decoded.bytes(), decoded.length()));
        assertEquals(HEADER, decoded.header(), "every header field, the run included");
        assertTrue(decoded.eof());
        decoded.release(); // a decoded chunk belongs to no pool
        assertEquals(1, recycled.size());
        assertTrue(decoded.settled());
    }
}
