package io.jpm.protocol;

import java.util.Map;

/**
 * {@code jpm scale <name> <N|+N|-N>}: pm2's scale. {@code count} is the text as typed: "4" sets the
 * number of instances, "+2" adds, "-1" removes.
 *
 * <pre>{"name":"api","count":"+2"}</pre>
 */
public record ScaleRequest(String name, String count) {
    public Map<String, Object> toMap() {
        return Map.of("name", name, "count", count);
    }

    public static ScaleRequest from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        String name = f.string("name");
        String count = f.get("count") == null ? null : String.valueOf(f.get("count"));
        if (name == null || name.isBlank() || count == null || !count.matches("[+-]?\\d{1,4}")) {
            throw new JpmException(JpmError.INVALID_ARGUMENT, "scale needs an app name and a number like 4, +2 or -1");
        }
        return new ScaleRequest(name, count);
    }

    /** The number of instances wanted, given how many there are. */
    public int target(int current) {
        if (count.startsWith("+")) {
            return current + Integer.parseInt(count.substring(1));
        }
        if (count.startsWith("-")) {
            return current - Integer.parseInt(count.substring(1));
        }
        return Integer.parseInt(count);
    }
}
