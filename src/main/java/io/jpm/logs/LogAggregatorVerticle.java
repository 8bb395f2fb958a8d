package io.jpm.logs;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.Liveness;
import io.jpm.protocol.LogChunk;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * LogAggregator: owns every app log file. Receives raw output chunks from God's launcher relay and
 * writes them line by line to the file named in the chunk (pm2's names, decided by God). Deployed
 * as a worker verticle: its file writes block a worker thread, never an event loop, and chunks are
 * handled one at a time, in order.
 */
public final class LogAggregatorVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger("jpm.logs");

  /** Open files by (pm_id, stream): a stream's bytes only ever go to its own line buffer. */
  private final Map<String, LineFile> files = new HashMap<>();

  @Override
  public Future<?> start() {
    vertx.eventBus().<Buffer>localConsumer(Addresses.INTERNAL_LOG_CHUNK, m -> {
      LogChunk chunk = LogChunk.fromHeaders(m.headers());
      write(chunk, m.body());
    });
    Liveness.answer(vertx, Addresses.INTERNAL_LOGS_PING);
    return Future.succeededFuture();
  }

  private void write(LogChunk chunk, Buffer body) {
    String key = chunk.pmId() + "/" + chunk.stream() + "/" + chunk.path();
    try {
      LineFile file = files.computeIfAbsent(key, k -> new LineFile(Path.of(chunk.path())));
      if (body.length() > 0) {
        file.write(body.getBytes());
      }
      if (chunk.eof()) {
        files.remove(key).end();
      }
    } catch (IOException e) {
      LOG.warning(() -> "cannot write " + chunk.app() + " " + chunk.stream() + " to " + chunk.path() + ": " + e.getMessage());
    }
  }

  @Override
  public Future<?> stop() {
    for (LineFile file : files.values()) {
      try {
        file.end();
      } catch (IOException e) {
        LOG.warning(() -> "cannot close a log file: " + e.getMessage());
      }
    }
    files.clear();
    return Future.succeededFuture();
  }
}
