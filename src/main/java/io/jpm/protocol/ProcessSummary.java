package io.jpm.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a command on processes replies, one per instance it acted on (start, stop, restart, reload,
 * delete, reset, scale, sendSignal, send): {@code {"pm_id":0,"name":"api","status":"online","pid":1234}};
 * {@code pid} is null when none runs. {@code warnings}, there only when reading the app's options
 * noticed something without refusing it (an option jpm does not know, ...): one line each, naming
 * the file, the app and the option; the CLI prints them on stderr. {@code escaped}, there only when
 * the instance's last run left processes holding its output as it exited (a helper started in a
 * session of its own): one line naming them and what was done to them; the CLI prints it on stderr.
 * {@code error}, there only when the instance is errored: why ({@code spawn failed: cannot make a
 * pipe: Too many open files (the daemon's ulimit -n is 256)}); {@code jpm start} prints it and exits 1.
 * {@code host}, there only for an instance of a fleet app (docs/CLUSTER.md, "Fleet apps"): the member
 * it runs on, as a command on a fleet app answers for every member's instances.
 */
public record ProcessSummary(
        int pmId,
        String name,
        String status,
        Integer pid,
        List<String> warnings,
        String escaped,
        String error,
        String host) {
    public ProcessSummary {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public ProcessSummary(
            int pmId, String name, String status, Integer pid, List<String> warnings, String escaped, String error) {
        this(pmId, name, status, pid, warnings, escaped, error, null);
    }

    public ProcessSummary(int pmId, String name, String status, Integer pid, List<String> warnings) {
        this(pmId, name, status, pid, warnings, null, null);
    }

    public ProcessSummary(int pmId, String name, String status, Integer pid) {
        this(pmId, name, status, pid, List.of(), null, null);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("pm_id", pmId);
        json.put("name", name);
        json.put("status", status);
        json.put("pid", pid);
        if (!warnings.isEmpty()) {
            json.put("warnings", warnings);
        }
        if (escaped != null) {
            json.put("escaped", escaped);
        }
        if (error != null) {
            json.put("error", error);
        }
        if (host != null) {
            json.put("host", host);
        }
        return json;
    }

    public static ProcessSummary from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        return new ProcessSummary(
                f.integer("pm_id", -1),
                f.string("name"),
                f.string("status"),
                f.integer("pid"),
                f.strings("warnings"),
                f.string("escaped"),
                f.string("error"),
                f.string("host"));
    }

    /** A reply's data: an array of summaries. */
    @SuppressWarnings("unchecked")
    public static List<ProcessSummary> listFrom(List<?> data) {
        return data.stream()
                .filter(Map.class::isInstance)
                .map(o -> from((Map<String, ?>) o))
                .toList();
    }
}
