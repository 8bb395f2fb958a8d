package io.jpm.cli.render;

import io.jpm.cli.transport.Json;

/**
 * What a daemon run in the foreground prints of the daemon's events and of itself: jpm-runtime and
 * {@code start --no-daemon} ({@link RuntimeOutput}), jpm-dev ({@link DevOutput}).
 */
public interface ForegroundOutput {
  /** One bridge message: {"address":..., "body":...}. */
  void event(Json.Value message);

  /** A line of the foreground command's own (starting, stopping, the daemon's exit). */
  void daemonLine(String text, long time);
}
