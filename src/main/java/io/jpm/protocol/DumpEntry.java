package io.jpm.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One app as JPM_HOME/dump.json keeps it: the options it was read from (paths resolved), the whole
 * environment it runs with, where it came from, its running processes (so a daemon that
 * replaces a SIGKILLed one can find and stop the leftovers), and which of its instances were stopped
 * (by position among the app's instances in pm_id order, 0 the first: a resurrect registers them
 * stopped, as pm2 keeps a stopped process stopped; absent when none was). An app of an ecosystem
 * file also keeps what the file declared for it when that is not its source ("declared": options
 * given on the command line or a scale changed the source; config.AppConfig#declared), and the
 * first app of each file how the file was read ("file_read": the environment, --only selection,
 * strict reading and options of the command that started it), so the restored daemon re-reads the
 * file on an edit as the one before did and restarts only the apps the edit changed.
 *
 * <pre>
 * {"name":"api","source":{"script":"/srv/api.py",...},"env":{"PATH":..},
 *  "file":"/srv/ecosystem.json","command_cwd":"/srv","env_name":"production",
 *  "processes":[{"pm_id":0,"pid":4242,"start_ticks":123456}],"stopped":[1],
 *  "declared":{"script":"/srv/api.py",...},
 *  "file_read":{"env":{"PATH":..},"only":[],"strict":false,"defaults":{}}}
 * </pre>
 */
public record DumpEntry(
        String name,
        Map<String, Object> source,
        Map<String, String> env,
        String file,
        String commandCwd,
        String envName,
        List<Running> processes,
        List<Integer> stopped,
        Map<String, Object> declared,
        Map<String, Object> fileRead) {
    /**
     * An entry built by naming each field ({@code DumpEntry.builder().name(n).file(f).commandCwd(dir)...build()}):
     * file, command_cwd and env_name are all strings, so a positional call could swap them without a
     * compiler error.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One running process: its pid is its process-group id; start_ticks from /proc (0 = unknown);
     * what a daemon started again by its keeper needs to adopt it as it was (docs/ARCHITECTURE.md,
     * "The keeper"): its restart counts, when its run started (pm_uptime), its private port (a
     * balanced app's, 0 for none).
     */
    public record Running(
            int pmId, int pid, long startTicks, int restarts, int unstableRestarts, long startedAt, int port) {
        public Running(int pmId, int pid, long startTicks) {
            this(pmId, pid, startTicks, 0, 0, 0, 0);
        }

        public Running withStartTicks(long ticks) {
            return new Running(pmId, pid, ticks, restarts, unstableRestarts, startedAt, port);
        }

        Map<String, Object> toMap() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("pm_id", pmId);
            json.put("pid", pid);
            json.put("start_ticks", startTicks);
            json.put("restart_time", restarts);
            json.put("unstable_restarts", unstableRestarts);
            json.put("pm_uptime", startedAt);
            json.put("port", port);
            return json;
        }

        static Running from(Fields p) {
            return new Running(
                    p.integer("pm_id", -1),
                    p.integer("pid", 0),
                    p.whole("start_ticks", 0L),
                    p.integer("restart_time", 0),
                    p.integer("unstable_restarts", 0),
                    p.whole("pm_uptime", 0L),
                    p.integer("port", 0));
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("source", source);
        json.put("env", env);
        json.put("file", file);
        json.put("command_cwd", commandCwd);
        json.put("env_name", envName);
        json.put("processes", processes.stream().map(Running::toMap).toList());
        if (!stopped.isEmpty()) {
            json.put("stopped", stopped);
        }
        if (declared != null) {
            json.put("declared", declared);
        }
        if (fileRead != null) {
            json.put("file_read", fileRead);
        }
        return json;
    }

    public static DumpEntry from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        String name = f.string("name");
        if (name == null || !(f.get("source") instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("a dump entry needs a name and a source");
        }
        List<Running> running =
                f.list("processes").stream().map(Fields::of).map(Running::from).toList();
        return new DumpEntry(
                name,
                f.object("source").asMap(),
                f.texts("env"),
                f.string("file"),
                f.string("command_cwd"),
                f.string("env_name"),
                running,
                f.list("stopped").stream()
                        .filter(Number.class::isInstance)
                        .map(n -> ((Number) n).intValue())
                        .toList(),
                f.has("declared") ? f.object("declared").asMap() : null,
                f.has("file_read") ? f.object("file_read").asMap() : null);
    }

    public DumpEntry withProcesses(List<Running> now) {
        return new DumpEntry(name, source, env, file, commandCwd, envName, now, stopped, declared, fileRead);
    }

    /** Fields not named stay null (file, command_cwd, env_name, declared, file_read) or empty. */
    public static final class Builder {
        private String name;
        private Map<String, Object> source = Map.of();
        private Map<String, String> env = Map.of();
        private String file;
        private String commandCwd;
        private String envName;
        private List<Running> processes = List.of();
        private List<Integer> stopped = List.of();
        private Map<String, Object> declared;
        private Map<String, Object> fileRead;

        private Builder() {}

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder source(Map<String, Object> source) {
            this.source = source;
            return this;
        }

        public Builder env(Map<String, String> env) {
            this.env = env;
            return this;
        }

        public Builder file(String file) {
            this.file = file;
            return this;
        }

        public Builder commandCwd(String commandCwd) {
            this.commandCwd = commandCwd;
            return this;
        }

        public Builder envName(String envName) {
            this.envName = envName;
            return this;
        }

        public Builder processes(List<Running> processes) {
            this.processes = processes;
            return this;
        }

        public Builder stopped(List<Integer> stopped) {
            this.stopped = stopped;
            return this;
        }

        public Builder declared(Map<String, Object> declared) {
            this.declared = declared;
            return this;
        }

        public Builder fileRead(Map<String, Object> fileRead) {
            this.fileRead = fileRead;
            return this;
        }

        public DumpEntry build() {
            return new DumpEntry(name, source, env, file, commandCwd, envName, processes, stopped, declared, fileRead);
        }
    }
}
