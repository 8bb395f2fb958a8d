package io.jpm.satan;

import io.jpm.config.Durations;
import io.vertx.core.json.JsonObject;

/**
 * Satan's daemon-wide settings, the {@code "satan"} section of the daemon settings (absent keys
 * keep their defaults). Durations are milliseconds or text like "2s".
 *
 * <pre>{"sample_interval": "1s", "ping_interval": "5s", "ping_timeout": "2s", "stall_warning": "500ms"}</pre>
 *
 * @param sampleIntervalMs how often every instance's cpu and memory are read (and memory limits checked)
 * @param pingIntervalMs how often God, the LogAggregator and the balancer are pinged
 * @param pingTimeoutMs a verticle that does not answer within this is hung: logged, and redeployed
 * @param stallWarningMs an event loop late by more than this is reported as stalled
 */
record SatanSettings(long sampleIntervalMs, long pingIntervalMs, long pingTimeoutMs, long stallWarningMs) {
  static final SatanSettings DEFAULTS = new SatanSettings(1000, 5000, 2000, 500);

  static SatanSettings from(JsonObject section) {
    if (section == null) {
      return DEFAULTS;
    }
    return new SatanSettings(
        millis(section, "sample_interval", DEFAULTS.sampleIntervalMs, 100),
        millis(section, "ping_interval", DEFAULTS.pingIntervalMs, 100),
        millis(section, "ping_timeout", DEFAULTS.pingTimeoutMs, 10),
        millis(section, "stall_warning", DEFAULTS.stallWarningMs, 10));
  }

  private static long millis(JsonObject section, String key, long fallback, long min) {
    Object value = section.getValue(key);
    long ms = value instanceof Number n ? n.longValue() : value instanceof String s ? Durations.parseMillis(s) : -1;
    if (value == null || ms < min) {
      return fallback; // the settings file is validated by its owner; stay safe here anyway
    }
    return ms;
  }
}
