package io.jpm.logs;

import io.jpm.protocol.LogLine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Lines on their way to {@code jpm.events.log} listeners, gathered into batches. Nothing is built
 * while nobody listens: the bridge tells how many registrations there are.
 */
final class LiveLines {
  /** A batch is sent when it reaches this many lines, or at the next tick. */
  static final int MAX_BATCH = 1000;

  private final String host;
  private int listeners;
  private JsonArray batch = new JsonArray();

  LiveLines(String host) {
    this.host = host;
  }

  boolean listening() {
    return listeners > 0;
  }

  void listeners(int count) {
    listeners = count;
    if (count == 0) {
      batch = new JsonArray();
    }
  }

  void add(String app, int pmId, String stream, String line, long time) {
    batch.add(new JsonObject(new LogLine(app, pmId, stream, line, time).toMap()));
  }

  boolean full() {
    return batch.size() >= MAX_BATCH;
  }

  /** The batch to publish, or null when empty; starts a new one. */
  JsonObject take() {
    if (batch.isEmpty()) {
      return null;
    }
    JsonObject body = new JsonObject().put("host", host).put("lines", batch);
    batch = new JsonArray();
    return body;
  }
}
