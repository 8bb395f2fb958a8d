package io.jpm.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * The body of {@link Addresses#INTERNAL_LOG_CHUNK}: a byte array handed from God's output relay to
 * the LogAggregator without a copy. The sender gives the array away with the message and never
 * touches it again, so local delivery passes the same array; the default {@code Buffer} codec
 * copies every chunk on the way, and in a flood those 1 MiB copies were most of the daemon's
 * garbage (Serial GC pauses took half of a 4-app flood). Never crosses the bridge; the wire form
 * exists only because a codec must have one.
 */
public final class OutputBytesCodec implements MessageCodec<byte[], byte[]> {
  public static final String NAME = "jpm.output-bytes";

  @Override
  public void encodeToWire(Buffer buffer, byte[] bytes) {
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  @Override
  public byte[] decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return buffer.getBytes(pos + 4, pos + 4 + length);
  }

  @Override
  public byte[] transform(byte[] bytes) {
    return bytes;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
