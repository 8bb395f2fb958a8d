package io.jpm.config;

import io.jpm.protocol.AppOption;
import io.jpm.protocol.LogChunk;
import io.jpm.protocol.StreamJournal;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * An app's log options (pm2's names), validated. The stdout and stderr paths stay in
 * {@link AppConfig#outFile()} and {@link AppConfig#errorFile()}; the rest is here.
 *
 * @param logFile log_file: one file for both streams, an absolute path; null for none
 * @param defaultLogFile log_file: true, which is pm2's JPM_HOME/logs/&lt;name&gt;.log
 * @param mergeLogs merge_logs / combine_logs; null = pm2's default (merged for a fork app that
 *     does not set instances)
 * @param dateFormat log_date_format (or time: true), a checked dayjs format; null = no timestamp
 * @param json log_type "json": one JSON object per line
 * @param maxSize max_size in bytes; null = the daemon-wide setting
 * @param retain retain; null = the daemon-wide setting
 * @param compress compress; null = the daemon-wide setting
 * @param rotateIntervalMs rotate_interval; null = the daemon-wide setting
 */
public record LogOptions(
        String logFile,
        boolean defaultLogFile,
        Boolean mergeLogs,
        String dateFormat,
        boolean json,
        Long maxSize,
        Integer retain,
        Boolean compress,
        Long rotateIntervalMs) {

    public static LogOptions defaults() {
        return new LogOptions(null, false, null, null, false, null, null, null, null);
    }

    /** What the LogAggregator needs to write a stream: format and per-app rotation (compact JSON). */
    public JsonObject writerOptions(String logPath) {
        JsonObject o = new JsonObject();
        if (logPath != null) {
            o.put("log", logPath);
        }
        if (dateFormat != null) {
            o.put("date", dateFormat);
        }
        if (json) {
            o.put("json", true);
        }
        if (maxSize != null) {
            o.put(AppOption.MAX_SIZE.key, maxSize);
        }
        if (retain != null) {
            o.put(AppOption.RETAIN.key, retain);
        }
        if (compress != null) {
            o.put(AppOption.COMPRESS.key, compress);
        }
        if (rotateIntervalMs != null) {
            o.put(AppOption.ROTATE_INTERVAL.key, rotateIntervalMs);
        }
        return o;
    }

    /** The files a stream's lines go to: its own, then the app's combined log; /dev/null is none. */
    public static List<String> files(LogChunk stream, JsonObject writerOptions) {
        List<String> files = new ArrayList<>(2);
        for (String path : new String[] {stream.path(), writerOptions.getString("log")}) {
            if (path != null && !LogPaths.DEV_NULL.equals(path)) {
                files.add(path);
            }
        }
        return files;
    }

    /** Where and how a stream's lines go, for the keeper that writes them while no daemon runs. */
    public static StreamJournal.Targets targets(LogChunk stream) {
        JsonObject options = new JsonObject(stream.options());
        return new StreamJournal.Targets(
                files(stream, options),
                options.getString("date"),
                options.getBoolean("json", false),
                stream.stream(),
                stream.pmId(),
                stream.app());
    }
}
