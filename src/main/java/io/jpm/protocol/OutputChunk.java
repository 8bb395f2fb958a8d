package io.jpm.protocol;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The body of {@link Addresses#INTERNAL_LOG_CHUNK}: {@code bytes[0, length)} of one stream's
 * output, handed from God's output relay to the LogAggregator by reference ({@code
 * verticle.OutputChunkCodec}), never copied on the way.
 *
 * <p>The array may come from a pool and be reused for a later chunk, so who may read it is a
 * contract: the sender gives it away with the chunk and never touches it again; the consumer reads
 * it until it calls {@link #release()}, after which nobody reads it (anything kept, such as a
 * partial line or a live line, is copied out before). {@code release()} is what lets the sender
 * reuse the array and send its next chunk. {@link #abandon()} is the sender's side when the
 * delivery failed (no consumer, or no answer in time): it takes its credit back, but the array is
 * never reused, since a late consumer may still be reading it. Whichever comes first settles the
 * chunk; the other does nothing.
 */
public final class OutputChunk {
    private final LogChunk header;
    private final byte[] bytes;
    private final int length;
    private final boolean eof;
    private final Consumer<byte[]> recycle;
    private final Runnable settled;
    private final StreamJournal journal;
    private final boolean duringStop;
    private final AtomicBoolean done = new AtomicBoolean();

    /**
     * @param recycle takes the array back once the consumer is done with it (null: not pooled)
     * @param settled runs once, when the chunk is released or abandoned (the sender's credit)
     */
    public OutputChunk(
            LogChunk header, byte[] bytes, int length, boolean eof, Consumer<byte[]> recycle, Runnable settled) {
        this(header, bytes, length, eof, recycle, settled, null);
    }

    /** @param journal the stream's output journal, where the consumer says what is written (null: none) */
    public OutputChunk(
            LogChunk header,
            byte[] bytes,
            int length,
            boolean eof,
            Consumer<byte[]> recycle,
            Runnable settled,
            StreamJournal journal) {
        this(header, bytes, length, eof, recycle, settled, journal, false);
    }

    /**
     * @param duringStop the run was being stopped at jpm's request when these bytes left: what it
     *     writes then (Python's KeyboardInterrupt traceback on SIGINT) is not a failure of the app
     */
    public OutputChunk(
            LogChunk header,
            byte[] bytes,
            int length,
            boolean eof,
            Consumer<byte[]> recycle,
            Runnable settled,
            StreamJournal journal,
            boolean duringStop) {
        if (length < 0 || length > bytes.length) {
            throw new IllegalArgumentException("length " + length + " outside an array of " + bytes.length);
        }
        this.header = header;
        this.bytes = bytes;
        this.length = length;
        this.eof = eof;
        this.recycle = recycle;
        this.settled = settled;
        this.journal = journal;
        this.duringStop = duringStop;
    }

    /** Whether jpm had asked the run to stop (stop, restart, reload, delete, scale down...) before these bytes left. */
    public boolean duringStop() {
        return duringStop;
    }

    /** The stream's output journal, or null when it has none. */
    public StreamJournal journal() {
        return journal;
    }

    /** Which stream of which instance, and where it goes. The same object for every chunk of a stream. */
    public LogChunk header() {
        return header;
    }

    /** The bytes; only {@code [0, length())} are output. Valid until {@link #release()}. */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return length;
    }

    /** The stream ends with this chunk: a partial last line gets written. */
    public boolean eof() {
        return eof;
    }

    /** The consumer is done reading the bytes: the array may be reused, the sender sends on. */
    public void release() {
        if (done.compareAndSet(false, true)) {
            if (recycle != null) {
                recycle.accept(bytes);
            }
            settled.run();
        }
    }

    /** The sender's side of a failed delivery: its credit back, the array never reused, its bytes given up. */
    public void abandon() {
        if (done.compareAndSet(false, true)) {
            if (journal != null) {
                journal.skipped(length);
            }
            settled.run();
        }
    }

    /** Whether {@link #release()} or {@link #abandon()} has run. */
    public boolean settled() {
        return done.get();
    }
}
