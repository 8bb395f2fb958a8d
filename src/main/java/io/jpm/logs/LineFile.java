package io.jpm.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One stream's log file, written in whole lines: bytes after the last newline wait for the rest of
 * their line (or for the end of the stream), so a line split across two reads is written once,
 * whole. Blocking; used from the LogAggregator's worker thread only.
 */
final class LineFile implements AutoCloseable {
  private final Path path;
  private FileChannel channel;
  private byte[] partial = new byte[0];

  LineFile(Path path) {
    this.path = path;
  }

  void write(byte[] bytes) throws IOException {
    int lastNewline = lastIndexOf(bytes, (byte) '\n');
    if (lastNewline < 0) {
      partial = concat(partial, bytes, bytes.length);
      return;
    }
    ByteBuffer head = ByteBuffer.wrap(partial);
    ByteBuffer lines = ByteBuffer.wrap(bytes, 0, lastNewline + 1);
    writeFully(head, lines);
    partial = java.util.Arrays.copyOfRange(bytes, lastNewline + 1, bytes.length);
  }

  /** The stream ended: a partial last line is written, with a newline to end it. */
  void end() throws IOException {
    if (partial.length > 0) {
      writeFully(ByteBuffer.wrap(partial), ByteBuffer.wrap(new byte[] {'\n'}));
      partial = new byte[0];
    }
    close();
  }

  private void writeFully(ByteBuffer... buffers) throws IOException {
    FileChannel ch = open();
    long remaining = 0;
    for (ByteBuffer b : buffers) {
      remaining += b.remaining();
    }
    while (remaining > 0) {
      remaining -= ch.write(buffers);
    }
  }

  private FileChannel open() throws IOException {
    if (channel == null) {
      Files.createDirectories(path.toAbsolutePath().getParent());
      channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
    return channel;
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  private static int lastIndexOf(byte[] bytes, byte b) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] concat(byte[] a, byte[] b, int bLength) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + bLength);
    System.arraycopy(b, 0, out, a.length, bLength);
    return out;
  }
}
