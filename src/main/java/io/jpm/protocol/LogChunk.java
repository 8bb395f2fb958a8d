package io.jpm.protocol;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Headers of an internal output chunk sent to {@link Addresses#INTERNAL_LOG_CHUNK}; the body is
 * the raw bytes. {@code eof} marks the end of the stream, so a partial last line gets written.
 * {@code options} is the app's writer options as compact JSON ({@code {"log":combined path,
 * "date":dayjs format,"json":true,"max_size":..,"retain":..,"compress":..,"rotate_interval":..}},
 * each key only when set), the same string for every chunk of a run. {@code run} tells apart two runs
 * of one pm_id that write at once (a reload's old and new run), so their partial lines never mix.
 */
public record LogChunk(String app, int pmId, String stream, String path, boolean eof, String options, long run) {
  public static final String STDOUT = "out";
  public static final String STDERR = "err";

  /** This stream's end marker. */
  public LogChunk atEof() {
    return new LogChunk(app, pmId, stream, path, true, options, run);
  }

  public DeliveryOptions toDeliveryOptions() {
    return new DeliveryOptions()
        .addHeader("app", app)
        .addHeader("pm_id", Integer.toString(pmId))
        .addHeader("stream", stream)
        .addHeader("path", path)
        .addHeader("eof", Boolean.toString(eof))
        .addHeader("options", options)
        .addHeader("run", Long.toString(run));
  }

  public static LogChunk fromHeaders(MultiMap headers) {
    return new LogChunk(
        headers.get("app"),
        Integer.parseInt(headers.get("pm_id")),
        headers.get("stream"),
        headers.get("path"),
        Boolean.parseBoolean(headers.get("eof")),
        headers.get("options") == null ? "{}" : headers.get("options"),
        headers.get("run") == null ? 0 : Long.parseLong(headers.get("run")));
  }
}
