package io.jpm.god;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.LogChunk;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;

/**
 * Ships one stream of one instance run (its stdout, or its stderr) to the LogAggregator, with
 * back-pressure. Called on a NuProcess pump thread.
 *
 * <p>NuProcess reads every child's pipes on a few pump threads shared by all children, cannot
 * pause one pipe, and its callback must take the bytes it read. So: at most one chunk per stream
 * is on its way to the aggregator; what the app writes meanwhile gathers here, up to
 * {@link #MAX_PENDING} bytes, and leaves as one chunk when the aggregator answers the previous one
 * (bytes on disk). Under load chunks therefore grow instead of multiplying. When the pending bytes
 * are full, the pump thread waits here until the aggregator has taken them: the app's pipe fills,
 * the kernel blocks its writes, and nothing is dropped. Memory is bounded per stream (pending +
 * in flight) and for all streams together ({@link #ALL_BYTES}).
 *
 * <p>The price of waiting on a shared pump thread: other apps read by that thread wait too, but
 * only while the aggregator writes one chunk (at most 1 MiB, milliseconds of disk time); they are
 * slowed, never lost, and no thread per child is added (the thread count stays flat however many
 * apps run).
 */
final class OutputShipper {
  private static final Logger LOG = Logger.getLogger("jpm.god");
  /** Bytes of one stream waiting for the chunk in flight to be written. */
  static final int MAX_PENDING = 1024 * 1024;
  /** Bytes of every stream of every app, pending or in flight: bounds the heap. */
  private static final Semaphore ALL_BYTES = new Semaphore(16 * 1024 * 1024);
  /** A chunk not answered in this long is reported, and its budget given back. */
  private static final long CHUNK_TIMEOUT_MS = 120_000;

  private final Vertx vertx;
  private final LogChunk header;
  private final DeliveryOptions options;
  private byte[] pending = new byte[4096];
  private int length;
  private boolean inFlight;
  private boolean ended;
  private boolean endSent;

  OutputShipper(Vertx vertx, LogChunk header) {
    this.vertx = vertx;
    this.header = header;
    this.options = header.toDeliveryOptions().setSendTimeout(CHUNK_TIMEOUT_MS);
  }

  /** Takes the bytes (the buffer is only valid during the call); may wait for room. */
  void ship(ByteBuffer bytes) {
    int n = bytes.remaining();
    ALL_BYTES.acquireUninterruptibly(n);
    Batch batch;
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
        pending = Arrays.copyOf(pending, Math.max(length + n, Math.min(pending.length * 2, MAX_PENDING)));
      }
      bytes.get(pending, length, n);
      length += n;
      batch = inFlight ? null : takeLocked();
    }
    send(batch);
  }

  /** The stream has ended: the end goes with (or after) the last bytes. */
  void end() {
    Batch batch;
    synchronized (this) {
      ended = true;
      batch = inFlight ? null : takeLocked();
    }
    send(batch);
  }

  private record Batch(byte[] bytes, int length, boolean eof) {}

  /** Everything pending leaves as one chunk; null when there is nothing to send. */
  private Batch takeLocked() {
    boolean eof = ended && !endSent;
    if (length == 0 && !eof) {
      return null;
    }
    Batch batch = new Batch(pending, length, eof);
    endSent |= eof;
    pending = new byte[Math.min(Math.max(4096, length), MAX_PENDING)];
    length = 0;
    inFlight = true;
    notifyAll();
    return batch;
  }

  private void send(Batch batch) {
    if (batch == null) {
      return;
    }
    Buffer body = Buffer.buffer(batch.length == batch.bytes.length ? batch.bytes : Arrays.copyOf(batch.bytes, batch.length));
    DeliveryOptions delivery = batch.eof ? header.atEof().toDeliveryOptions().setSendTimeout(CHUNK_TIMEOUT_MS) : options;
    vertx.eventBus().request(Addresses.INTERNAL_LOG_CHUNK, body, delivery).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warning(() -> "pm_id " + header.pmId() + " " + header.stream() + ": " + batch.length
            + " bytes of output not written: " + ar.cause().getMessage());
      }
      Batch next;
      synchronized (this) {
        inFlight = false;
        next = takeLocked();
      }
      // budget taken per read, given back per batch: count what this batch held
      ALL_BYTES.release(batch.length);
      send(next);
    });
  }
}
