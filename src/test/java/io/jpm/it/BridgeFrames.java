package io.jpm.it;

import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A blocking test client for the daemon's TCP event-bus bridge, speaking the raw frames of
 * docs/PROTOCOL.md (4-byte big-endian length, then UTF-8 JSON) so tests see exactly what an
 * external service sees: the reply frame itself, success or {@code err}.
 */
final class BridgeFrames implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;
  private int replies;

  private BridgeFrames(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    this.out = new DataOutputStream(socket.getOutputStream());
  }

  static BridgeFrames connect(String host, int port) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 5_000);
    return new BridgeFrames(socket);
  }

  /** Writes one frame as is. */
  void write(JsonObject frame) throws IOException {
    byte[] bytes = frame.encode().getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
    out.flush();
  }

  /** Reads the next frame, failing with {@link SocketTimeoutException} after {@code timeout}. */
  JsonObject read(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    int length = in.readInt();
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * Sends a request with the given token and returns the frame answering it: a {@code message}
   * whose body is the reply envelope, or an {@code err}. Frames for other addresses (events, the
   * bridge's second, address-less refusal frame) are skipped.
   */
  JsonObject request(String address, JsonObject body, String token, Duration timeout) throws IOException {
    String replyAddress = "it.reply." + (++replies);
    write(new JsonObject()
        .put("type", "send")
        .put("address", address)
        .put("body", body)
        .put("replyAddress", replyAddress)
        .put("headers", new JsonObject().put("token", token)));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      JsonObject frame = read(Duration.ofMillis(left));
      if (replyAddress.equals(frame.getString("address"))) {
        return frame;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
