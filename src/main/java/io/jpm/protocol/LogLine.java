package io.jpm.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of an app's output as {@link Addresses#EVENTS_LOG} carries it, in batches:
 * <pre>{"host":"box","lines":[{"app":"api","pm_id":0,"stream":"out","line":"listening","time":1700000000000},..]}</pre>
 * {@code stream} is {@code out} or {@code err}; {@code time} is when the daemon read the line.
 */
public record LogLine(String app, int pmId, String stream, String line, long time) {
    public Map<String, Object> toMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("app", app);
        json.put("pm_id", pmId);
        json.put("stream", stream);
        json.put("line", line);
        json.put("time", time);
        return json;
    }

    public static LogLine from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        return new LogLine(
                f.string("app", ""),
                f.integer("pm_id", -1),
                f.string("stream", "out"),
                f.string("line", ""),
                f.whole("time", 0L));
    }
}
