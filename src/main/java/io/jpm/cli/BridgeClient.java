package io.jpm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpm.protocol.JpmError;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.function.Consumer;

/**
 * The client side of the TCP event-bus bridge: 4-byte big-endian length, then a JSON frame, both
 * ways. Every frame carries the token. No Vert.x here: the CLI must start fast.
 */
final class BridgeClient implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Frames larger than this are refused rather than buffered. */
  private static final int MAX_FRAME = 64 * 1024 * 1024;

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;
  private final String token;
  private int replies;

  private BridgeClient(Socket socket, String token) throws IOException {
    this.socket = socket;
    this.token = token;
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    this.out = new DataOutputStream(socket.getOutputStream());
  }

  static BridgeClient connect(String host, int port, String token, int connectTimeoutMs) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), connectTimeoutMs);
    return new BridgeClient(socket, token);
  }

  /**
   * Sends a request and waits for its reply; returns the reply's {@code data}.
   *
   * @throws CliException with the daemon's failure code and message
   */
  JsonNode request(String address, JsonNode body, int timeoutMs) throws IOException {
    String replyAddress = "jpm.reply." + ProcessHandle.current().pid() + "." + (++replies);
    ObjectNode frame = JSON.createObjectNode()
        .put("type", "send")
        .put("address", address)
        .put("replyAddress", replyAddress);
    frame.set("body", body);
    // the bridge's own send timeout (30 s by default) must not cut a long stop short
    frame.putObject("headers").put("token", token).put("timeout", timeoutMs);
    write(frame);
    socket.setSoTimeout(timeoutMs + 5000);
    try {
      while (true) {
        JsonNode reply = read();
        String type = reply.path("type").asText();
        boolean ours = replyAddress.equals(reply.path("address").asText(null));
        if ("err".equals(type) && (ours || !reply.has("address"))) {
          int code = reply.path("failureCode").asInt(JpmError.INTERNAL.code());
          String message = reply.path("message").asText("request failed");
          if ("access_denied".equals(message)) {
            throw new CliException(JpmError.FORBIDDEN, "access denied by the daemon for " + address);
          }
          if ("TIMEOUT".equals(reply.path("failureType").asText()) || "NO_HANDLERS".equals(reply.path("failureType").asText())) {
            throw new CliException(JpmError.UNAVAILABLE, address + ": " + message);
          }
          throw new CliException(JpmError.fromCode(code), message);
        }
        if ("message".equals(type) && ours) {
          return reply.path("body").path("data");
        }
      }
    } catch (SocketTimeoutException e) {
      throw new CliException(JpmError.UNAVAILABLE, "the daemon did not answer " + address + " within " + timeoutMs + " ms");
    }
  }

  /**
   * Registers for each address and hands every message (address and body) to {@code onEvent}
   * until the connection closes.
   */
  void listen(java.util.List<String> addresses, Consumer<JsonNode> onEvent) throws IOException {
    for (String address : addresses) {
      ObjectNode frame = JSON.createObjectNode().put("type", "register").put("address", address);
      frame.putObject("headers").put("token", token);
      write(frame);
    }
    socket.setSoTimeout(0);
    while (true) {
      JsonNode message;
      try {
        message = read();
      } catch (java.io.EOFException e) {
        return;
      }
      if ("err".equals(message.path("type").asText())) {
        throw new CliException(JpmError.FORBIDDEN, "cannot listen: " + message.path("message").asText());
      }
      if ("message".equals(message.path("type").asText())) {
        onEvent.accept(message);
      }
    }
  }

  private void write(JsonNode frame) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(frame);
    out.writeInt(bytes.length);
    out.write(bytes);
    out.flush();
  }

  private JsonNode read() throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_FRAME) {
      throw new IOException("bad frame length " + length);
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return JSON.readTree(bytes);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
