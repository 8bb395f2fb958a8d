package io.jpm.god;

import io.jpm.config.LogOptions;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.LogChunk;
import io.jpm.protocol.OutputChunk;
import io.jpm.protocol.StreamJournal;
import io.jpm.verticle.OutputChunkCodec;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Ships one stream of one instance run (its stdout, or its stderr) to the LogAggregator, with
 * back-pressure. Called on a launcher's pump thread.
 *
 * <p>The launcher reads every child's pipes on a few pump threads shared by all children, does
 * not pause one pipe, and its callback must take the bytes it read. So each stream has a credit of
 * {@link #MAX_IN_FLIGHT} bytes and {@link #MAX_CHUNKS_IN_FLIGHT} chunks sent to the aggregator and
 * not yet released by it (released = written, see {@link OutputChunk#release()}).
 * Within the credit a read of {@link #SEND_AT} bytes or more leaves at once, a smaller one after
 * {@link #GATHER_MS} with whatever followed it; beyond the credit, what the app writes gathers here, up to
 * {@link #MAX_PENDING} bytes, and leaves as one chunk when the aggregator releases the last one
 * (under load chunks grow instead of multiplying). When the pending bytes are full too, the stream
 * is paused ({@link #offer} returns false): the launcher stops reading its pipe until the aggregator
 * catches up, the app's pipe fills, the kernel blocks its writes, and nothing is dropped. The
 * launcher's one pump thread meanwhile reads every other app: a stream whose log is slow to write
 * holds up no other. (A launcher that cannot pause a pipe, NuProcess's, calls {@link #ship}, which
 * waits on its thread instead.) Memory is bounded per stream and for all streams together
 * ({@link #ALL_BYTES}). Chunks are sent under this object's lock, so they reach the aggregator in order.
 */
final class StreamShipper {
    private static final Logger LOG = Logger.getLogger("jpm.god");
    /** Bytes of one stream sent and not yet on disk, beyond which reads gather here. */
    static final int MAX_IN_FLIGHT = 1024 * 1024;
    /**
     * Chunks of one stream sent and not yet on disk, beyond which reads gather here. One: while the
     * aggregator writes a chunk, what the app writes meanwhile gathers into the next, so chunks grow
     * with the load. With two, the second was always free when the next read came, and an app
     * writing 4 KiB at a time cost one message (three thread wake-ups) per 4 KiB: 1683 messages for
     * 1M lines, against 262-1193 with one.
     */
    static final int MAX_CHUNKS_IN_FLIGHT = 1;
    /** Bytes of one stream gathered while the credit is spent; beyond, the stream is paused. */
    static final int MAX_PENDING = 1024 * 1024;
    /** The most a launcher reads at once (a pipe's capacity, its buffer): the room a stream keeps for its next read. */
    static final int MAX_READ = 64 * 1024;
    /**
     * A chunk smaller than this waits up to {@link #GATHER_MS} for more before it leaves: an app
     * writing 4 KiB at a time would otherwise cost a message (three thread wake-ups) per write.
     */
    static final int SEND_AT = 64 * 1024;
    /** How long a small chunk waits for more; a stream's end never waits. */
    static final long GATHER_MS = 2;
    /** Bytes of every stream of every app, pending or in flight: bounds the heap. */
    private static final Semaphore ALL_BYTES = new Semaphore(16 * 1024 * 1024);
    /**
     * Spare {@link #MAX_PENDING} arrays, shared by every stream: two per flooding stream are in use
     * (one gathering, one being written), so eight spare cover four floods.
     */
    static final ChunkPool POOL = new ChunkPool(MAX_PENDING, 8);
    /** Spare arrays are dropped once no stream has taken one for this long. */
    static final long POOL_IDLE_MS = 10_000;

    private static final AtomicBoolean TRIM_SCHEDULED = new AtomicBoolean();
    /** A chunk neither released nor answered in this long is reported, and its budget given back. */
    private static final long CHUNK_TIMEOUT_MS = 120_000;

    private final Vertx vertx;
    /**
     * Where this stream's sends, timers and reply handlers run once a chunk is released: a context
     * of no deployment, taken on the launcher's thread. Not the LogAggregator's, whose thread calls
     * the release: had its chunk requests and timers lived there, an undeploy of the aggregator would
     * cancel their timeouts, and the stream would wait for a reply forever.
     */
    private volatile Context shipping;

    private final LogChunk header;
    /** Where the LogAggregator says how far this stream is in its files; null without a keeper. */
    private volatile StreamJournal journal;

    private final DeliveryOptions options;
    /** Where a quiet stream gathers: kept, its bytes copied into each (small) chunk. */
    private byte[] small = new byte[4096];
    /** {@link #small}, or a pool array once the stream floods (given away with the chunk). */
    private byte[] pending = small;

    private int length;
    private long inFlight;
    private int chunksInFlight;
    private boolean ended;
    private boolean endSent;
    private boolean gathering;
    /**
     * Set by God (before it signals the run) when it stops the run on request: every chunk that
     * leaves from then on says so, the bytes read after the process exited too, so what the app
     * writes on its way out is never taken for a crash. Set before the signal, it is in place
     * before any byte the signal makes the app write can be read: no race with the process event.
     */
    private volatile boolean stopAsked;
    /** Set while the stream is paused ({@link #offer} said no): run once what is pending has left. */
    private Runnable resumeReading;

    StreamShipper(Vertx vertx, LogChunk header) {
        this.vertx = vertx;
        this.header = header;
        this.options = new DeliveryOptions().setSendTimeout(CHUNK_TIMEOUT_MS).setCodecName(OutputChunkCodec.NAME);
    }

    /**
     * The stream's output journal, told before its first bytes: every chunk carries it to the
     * aggregator, and it says where the lines go, for the keeper while no daemon runs.
     */
    void journal(StreamJournal streamJournal) {
        this.journal = streamJournal;
        if (streamJournal != null) {
            streamJournal.describe(LogOptions.targets(header));
        }
    }

    /** jpm is stopping the run on request: the chunks that leave from now on say so. */
    void stopAsked() {
        stopAsked = true;
    }

    /** Takes the bytes (the buffer is only valid during the call); may wait for room. */
    void ship(ByteBuffer bytes) {
        offer(bytes, null);
    }

    /**
     * Takes the bytes (the buffer is only valid during the call), and says whether the stream has
     * room for another read of up to {@link #MAX_READ} bytes. When it has not, the caller stops
     * reading the stream and {@code resume} runs (once, on the thread that releases a chunk) when
     * what is pending has left. Waits only for a read larger than the room left (as
     * {@link #ship}'s callers may make, with no {@code resume}).
     */
    boolean offer(ByteBuffer bytes, Runnable resume) {
        shippingContext();
        int n = bytes.remaining();
        ALL_BYTES.acquireUninterruptibly(n);
        synchronized (this) {
            while (length > 0 && length + n > MAX_PENDING) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (length + n > pending.length) {
                grow(length + n);
            }
            bytes.get(pending, length, n);
            length += n;
            sendOrGather();
            if (resume == null || length + MAX_READ <= MAX_PENDING) {
                return true;
            }
            resumeReading = resume;
            return false;
        }
    }

    /**
     * Makes room for {@code needed} bytes: past {@link #SEND_AT} the stream is flooding and gathers
     * into a pool array (straight to the largest size, not through every doubling); below, the small
     * array doubles.
     */
    private void grow(int needed) {
        byte[] next;
        if (needed > SEND_AT && needed <= POOL.arraySize() && pending == small) {
            next = POOL.take();
        } else if (needed > SEND_AT) {
            next = new byte[Math.max(needed, MAX_PENDING)]; // only a read larger than a chunk
        } else {
            next = new byte[Math.max(needed, Math.min(pending.length * 2, SEND_AT))];
        }
        System.arraycopy(pending, 0, next, 0, length);
        if (pending == small && next.length <= SEND_AT) {
            small = next;
        }
        pending = next;
    }

    /** Called on the launcher's thread (no Vert.x context there): takes a context of no deployment. */
    private void shippingContext() {
        if (shipping == null) {
            shipping = vertx.getOrCreateContext();
        }
    }

    /** Sends what is pending if there is credit and enough of it (or the end); else waits for more. */
    private void sendOrGather() {
        if (!hasCredit()) {
            return; // the release of what is in flight sends it
        }
        if (length >= SEND_AT || ended) {
            sendLocked();
        } else if (length > 0 && !gathering) {
            gathering = true;
            vertx.setTimer(GATHER_MS, t -> {
                synchronized (this) {
                    gathering = false;
                    if (hasCredit()) {
                        sendLocked();
                    }
                }
            });
        }
    }

    private boolean hasCredit() {
        return inFlight < MAX_IN_FLIGHT && chunksInFlight < MAX_CHUNKS_IN_FLIGHT;
    }

    /** The stream has ended: the end goes with (or after) the last bytes. */
    synchronized void end() {
        shippingContext();
        ended = true;
        if (hasCredit() || length == 0) {
            sendLocked();
        }
    }

    /**
     * Everything pending leaves as one chunk (with the end, once asked). A pool array is given away
     * with it and comes back to the pool when the LogAggregator releases the chunk; the small array
     * stays here and the chunk gets a copy. The release also gives the credit back and sends what
     * gathered meanwhile (on {@link #shipping}): the next chunk leaves once the last one is on disk,
     * without a reply message to build and route back first. The reply only reports failures.
     */
    private void sendLocked() {
        boolean eof = ended && !endSent;
        if (length == 0 && !eof) {
            return;
        }
        int size = length;
        boolean pooled = pending != small;
        byte[] body = pooled ? pending : Arrays.copyOf(small, size);
        pending = small;
        length = 0;
        inFlight += size;
        chunksInFlight++;
        endSent |= eof;
        notifyAll();
        if (resumeReading != null) {
            Runnable paused = resumeReading;
            resumeReading = null;
            paused.run(); // hands the pipe back to its pump (queues a task there, waits for nothing)
        }
        OutputChunk chunk = new OutputChunk(
                header,
                body,
                size,
                eof,
                pooled ? POOL::give : null,
                () -> shipping.runOnContext(v -> settled(size, pooled)),
                journal,
                stopAsked);
        vertx.eventBus().request(Addresses.INTERNAL_LOG_CHUNK, chunk, options).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warning(() -> "pm_id " + header.pmId() + " " + header.stream() + ": " + size
                        + " bytes of output not written: " + ar.cause().getMessage());
                chunk.abandon();
            }
        });
    }

    /** The chunk is written (or given up): its budget comes back and what gathered leaves. */
    private void settled(int size, boolean pooled) {
        if (pooled) {
            scheduleTrim();
        }
        ALL_BYTES.release(size);
        synchronized (this) {
            inFlight -= size;
            chunksInFlight--;
            sendOrGather();
        }
    }

    /** Spare pool arrays are dropped once the floods are over. */
    private void scheduleTrim() {
        if (TRIM_SCHEDULED.compareAndSet(false, true)) {
            vertx.setTimer(POOL_IDLE_MS, t -> trimLater());
        }
    }

    private void trimLater() {
        if (POOL.trimIfIdle(System.nanoTime(), POOL_IDLE_MS * 1_000_000L)) {
            vertx.setTimer(POOL_IDLE_MS, t -> trimLater());
        } else {
            TRIM_SCHEDULED.set(false);
        }
    }
}
