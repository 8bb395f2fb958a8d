package io.jpm.protocol;

import java.util.Map;

/**
 * {@code jpm send <pm_id> <line>} and each line typed in {@code jpm attach}: bytes for the stdin of
 * one running instance, sent as they are (the CLI adds the separator, "\n" unless attach is given
 * another, as pm2). <pre>{"pm_id":3,"line":"reload-config\n"}</pre>
 */
public record StdinRequest(int pmId, String line) {
    public Map<String, Object> toMap() {
        return Map.of("pm_id", pmId, "line", line);
    }

    public static StdinRequest from(Map<String, ?> json) {
        Object id = json.get("pm_id");
        Object line = json.get("line");
        if (!(id instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue()) || n.intValue() < 0) {
            throw new JpmException(
                    JpmError.INVALID_ARGUMENT, "send needs a pm_id, a process number (not a name), got " + id);
        }
        if (!(line instanceof String s) || s.isEmpty()) {
            throw new JpmException(JpmError.INVALID_ARGUMENT, "send needs a line to write, got " + line);
        }
        return new StdinRequest(n.intValue(), s);
    }
}
