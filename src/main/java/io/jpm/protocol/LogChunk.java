package io.jpm.protocol;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Headers of an internal output chunk sent to {@link Addresses#INTERNAL_LOG_CHUNK}; the body is
 * the raw bytes. {@code eof} marks the end of the stream, so a partial last line gets written.
 */
public record LogChunk(String app, int pmId, String stream, String path, boolean eof) {
  public static final String STDOUT = "out";
  public static final String STDERR = "err";

  public DeliveryOptions toDeliveryOptions() {
    return new DeliveryOptions()
        .addHeader("app", app)
        .addHeader("pm_id", Integer.toString(pmId))
        .addHeader("stream", stream)
        .addHeader("path", path)
        .addHeader("eof", Boolean.toString(eof));
  }

  public static LogChunk fromHeaders(MultiMap headers) {
    return new LogChunk(
        headers.get("app"),
        Integer.parseInt(headers.get("pm_id")),
        headers.get("stream"),
        headers.get("path"),
        Boolean.parseBoolean(headers.get("eof")));
  }
}
