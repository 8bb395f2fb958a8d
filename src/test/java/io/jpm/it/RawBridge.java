package io.jpm.it;

import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A bare bridge connection for tests: writes any frame, even a broken one, and reads frames back. */
final class RawBridge implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  RawBridge(Path home) throws IOException {
    JsonObject info = new JsonObject(Files.readString(home.resolve("daemon.json")));
    socket = new Socket(info.getString("bridgeHost"), info.getInteger("bridgePort"));
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
  }

  static String token(Path home, String file) throws IOException {
    return Files.readString(home.resolve(file)).trim();
  }

  /** A send frame with a reply address and, when not null, a token. */
  static JsonObject send(String address, JsonObject body, String token) {
    JsonObject frame = new JsonObject().put("type", "send").put("address", address)
        .put("replyAddress", "test.reply").put("body", body);
    if (token != null) {
      frame.put("headers", new JsonObject().put("token", token));
    }
    return frame;
  }

  void write(JsonObject frame) throws IOException {
    writeRaw(frame.encode().getBytes(StandardCharsets.UTF_8));
  }

  void writeRaw(byte[] payload) throws IOException {
    out.writeInt(payload.length);
    out.write(payload);
    out.flush();
  }

  /** Announces a frame of {@code length} bytes and sends none of them. */
  void writeLength(int length) throws IOException {
    out.writeInt(length);
    out.flush();
  }

  /** True once the daemon has closed the connection (end of stream within the timeout). */
  boolean closedByPeer(int timeoutMs) throws IOException {
    socket.setSoTimeout(timeoutMs);
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  /** The next frame, or null when none comes within {@code timeoutMs}. */
  JsonObject read(int timeoutMs) throws IOException {
    socket.setSoTimeout(timeoutMs);
    try {
      int length = in.readInt();
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  /** Sends a request and returns the first frame answering it. */
  JsonObject request(String address, JsonObject body, String token) throws IOException {
    write(send(address, body, token));
    return read(10_000);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
