package io.jpm.bridge;

import io.jpm.protocol.JpmError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.List;
import java.util.logging.Logger;

/**
 * Stands between one client connection and the event-bus bridge, which trusts its input too much:
 * it buffers a frame of any announced length, says nothing about a frame that is not JSON, and an
 * unknown frame type breaks the connection silently. The guard reads the frames itself, answers a
 * bad one with an {@code err} frame that names the problem, and forwards only good ones. Replies
 * and events flow back untouched. Both directions respect back-pressure.
 */
final class FrameGuard {
  private static final Logger LOG = Logger.getLogger("jpm.bridge");
  /** A start request carries the client's environment; 4 MiB leaves room and bounds memory. */
  static final int MAX_FRAME_BYTES = 4 * 1024 * 1024;
  static final List<String> CLIENT_TYPES = List.of("send", "publish", "register", "unregister", "ping");

  private final NetSocket client;
  private final NetSocket bridge;
  private final RecordParser parser;
  private int expected = -1;
  private boolean closing;

  private FrameGuard(NetSocket client, NetSocket bridge) {
    this.client = client;
    this.bridge = bridge;
    this.parser = RecordParser.newFixed(4, this::onRecord);
  }

  /**
   * Joins a client to its own bridge connection until either side closes; {@code onClosed} runs
   * once the client's connection is closed. When the bridge's side closes first (the daemon
   * stopping), the client's connection ends after what the bridge wrote before, so the last
   * events (the apps' stops) reach it.
   */
  static void join(NetSocket client, NetSocket bridge, Runnable onClosed) {
    FrameGuard guard = new FrameGuard(client, bridge);
    client.handler(guard.parser);
    bridge.handler(buffer -> {
      client.write(buffer);
      if (client.writeQueueFull()) {
        bridge.pause();
        client.drainHandler(v -> bridge.resume());
      }
    });
    client.closeHandler(v -> {
      bridge.close();
      onClosed.run();
    });
    bridge.closeHandler(v -> client.end());
    client.exceptionHandler(e -> client.close());
    bridge.exceptionHandler(e -> bridge.close());
  }

  private void onRecord(Buffer record) {
    if (closing) {
      return;
    }
    if (expected < 0) {
      int length = record.getInt(0);
      if (length <= 0 || length > MAX_FRAME_BYTES) {
        refuseAndClose("frame length " + Integer.toUnsignedString(length) + " is outside 1.." + MAX_FRAME_BYTES);
        return;
      }
      expected = length;
      parser.fixedSizeMode(length);
      return;
    }
    expected = -1;
    parser.fixedSizeMode(4);
    String problem = problemWith(record);
    if (problem != null) {
      refuse(problem, replyAddressOf(record));
      return;
    }
    bridge.write(Buffer.buffer(4 + record.length()).appendInt(record.length()).appendBuffer(record));
    if (bridge.writeQueueFull()) {
      client.pause();
      bridge.drainHandler(v -> client.resume());
    }
  }

  /** Null for a frame the bridge can handle, else what is wrong with it. */
  static String problemWith(Buffer payload) {
    JsonObject frame;
    try {
      frame = new JsonObject(payload);
    } catch (DecodeException | ClassCastException e) {
      return "malformed frame: not a JSON object";
    }
    String type = frame.getValue("type") instanceof String t ? t : null;
    if (type == null || !CLIENT_TYPES.contains(type)) {
      return "malformed frame: type must be one of " + CLIENT_TYPES + ", got " + frame.getValue("type");
    }
    if (!"ping".equals(type) && !(frame.getValue("address") instanceof String)) {
      return "malformed frame: a " + type + " frame needs an address";
    }
    Object headers = frame.getValue("headers");
    if (headers != null && !(headers instanceof JsonObject)) {
      return "malformed frame: headers must be an object";
    }
    if (headers instanceof JsonObject h) {
      if (h.containsKey("timeout") && !(h.getValue("timeout") instanceof Number n && n.longValue() > 0)) {
        return "malformed frame: headers.timeout must be a positive number of milliseconds";
      }
      if (h.containsKey("localOnly") && !(h.getValue("localOnly") instanceof Boolean)) {
        return "malformed frame: headers.localOnly must be true or false";
      }
    }
    return null;
  }

  private static String replyAddressOf(Buffer payload) {
    try {
      return new JsonObject(payload).getString("replyAddress");
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void refuse(String problem, String replyAddress) {
    LOG.warning(() -> "bridge: " + problem + " from " + client.remoteAddress());
    JsonObject err = new JsonObject().put("type", "err").put("failureCode", JpmError.INVALID_ARGUMENT.code())
        .put("failureType", "RECIPIENT_FAILURE").put("message", problem);
    if (replyAddress != null) {
      err.put("address", replyAddress);
    }
    Buffer json = err.toBuffer();
    client.write(Buffer.buffer(4 + json.length()).appendInt(json.length()).appendBuffer(json));
  }

  /** A bad length leaves no way to find the next frame: answer, then close. */
  private void refuseAndClose(String problem) {
    closing = true;
    refuse(problem, null);
    client.end().onComplete(v -> client.close());
  }
}
