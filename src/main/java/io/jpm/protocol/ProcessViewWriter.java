package io.jpm.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a {@link ProcessView} section in the order of its calls: {@link #table} for a field the ls
 * table shows, {@link #full} for one only the full row has, so the table view is the same record
 * written with fewer fields, not a second list of keys.
 */
final class ProcessViewWriter {
    private final Map<String, Object> map = new LinkedHashMap<>();
    private final boolean table;

    ProcessViewWriter(boolean table) {
        this.table = table;
    }

    /** A field of the full row and of the table's. */
    void table(String key, Object value) {
        map.put(key, value);
    }

    /** A field of the full row only. */
    void full(String key, Object value) {
        if (!table) {
            map.put(key, value);
        }
    }

    /** A field of the full row only, and only when present (pm2 lists it only when the app has it). */
    void fullIfPresent(String key, Object value) {
        if (value != null) {
            full(key, value);
        }
    }

    Map<String, Object> map() {
        return map;
    }
}
