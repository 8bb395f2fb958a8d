package io.jpm.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code jpm start}: either a script with its options in pm2's names, or an ecosystem file.
 *
 * <pre>
 * {"apps":[{"script":"worker.py","name":"w","instances":2,"args":["--queue","jobs"]}],
 *  "file":null, "cwd":"/where/the/cli/ran", "env":{...client env...}, "force":false,
 *  "only":["api"], "env_name":"production"}
 * </pre>
 *
 * {@code env_name} merges each app's {@code env_<name>} over its {@code env} ({@code --env}).
 * {@code action} is what a file's apps that already run go through: {@code "restart"} (start,
 * startOrRestart, restart of a file) or {@code "reload"} (startOrReload, reload of a file); either
 * way they take the file's options and env as it reads now, and the apps that do not run start;
 * {@code parallel} (pm2's --parallel) restarts at most that many of them at a time (0: all at once).
 * {@code strict} ({@code --strict}) refuses the apps for what would only be a warning (an option jpm
 * does not know).
 * {@code file_defaults} are options for a file's apps that do not set them (pm2's {@code start <file> --watch}:
 * {@code watch: true} for every app whose own {@code watch} is absent or false; jpm-dev adds its
 * {@code ignore_watch}); a hot reload of the file applies them again.
 * With {@code file} set, {@code apps} is ignored and the daemon reads the file itself. Options
 * are validated by the daemon, once, into typed app configs.
 */
public record StartRequest(
        List<Object> apps,
        String file,
        String cwd,
        Map<String, String> env,
        boolean force,
        List<String> only,
        String envName,
        String action,
        int parallel,
        boolean strict,
        Map<String, Object> fileDefaults) {
    public static final String RESTART = "restart";
    public static final String RELOAD = "reload";

    public StartRequest {
        fileDefaults = Map.copyOf(fileDefaults);
    }

    /**
     * A request built by naming each field ({@code StartRequest.builder().file(f).cwd(dir)...build()}):
     * file, cwd and env_name are all strings, and force and strict both booleans, so a positional call
     * could swap them without a compiler error.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The same request for other apps (start -: one request per app read from stdin). */
    public StartRequest withApps(List<Object> others) {
        return new StartRequest(others, file, cwd, env, force, only, envName, action, parallel, strict, fileDefaults);
    }

    /** The same request with these options for a file's apps that do not set them. */
    public StartRequest withFileDefaults(Map<String, Object> defaults) {
        return new StartRequest(apps, file, cwd, env, force, only, envName, action, parallel, strict, defaults);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("apps", apps);
        json.put("file", file);
        json.put("cwd", cwd);
        json.put("env", new TreeMap<>(env));
        json.put("force", force);
        json.put("only", only);
        json.put("env_name", envName);
        json.put("action", action);
        json.put("parallel", parallel);
        json.put("strict", strict);
        json.put("file_defaults", new TreeMap<>(fileDefaults));
        return json;
    }

    public static StartRequest from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        String cwd = f.string("cwd");
        if (cwd == null) {
            throw new JpmException(JpmError.INVALID_ARGUMENT, "start request has no cwd");
        }
        return new StartRequest(
                f.list("apps"),
                f.string("file"),
                cwd,
                f.texts("env"),
                f.bool("force", false),
                f.strings("only"),
                f.string("env_name"),
                action(f.string("action", RESTART)),
                Math.max(0, f.integer("parallel", 0)),
                f.bool("strict", false),
                f.object("file_defaults").asMap());
    }

    private static String action(String action) {
        if (!RESTART.equals(action) && !RELOAD.equals(action)) {
            throw new JpmException(
                    JpmError.INVALID_ARGUMENT, "start: action must be restart or reload, got '" + action + "'");
        }
        return action;
    }

    /** Fields not named stay null (file, cwd, env_name), empty, false or 0; the action is restart. */
    public static final class Builder {
        private List<Object> apps = List.of();
        private String file;
        private String cwd;
        private Map<String, String> env = Map.of();
        private boolean force;
        private List<String> only = List.of();
        private String envName;
        private String action = RESTART;
        private int parallel;
        private boolean strict;
        private Map<String, Object> fileDefaults = Map.of();

        private Builder() {}

        public Builder apps(List<Object> apps) {
            this.apps = apps;
            return this;
        }

        public Builder file(String file) {
            this.file = file;
            return this;
        }

        public Builder cwd(String cwd) {
            this.cwd = cwd;
            return this;
        }

        public Builder env(Map<String, String> env) {
            this.env = env;
            return this;
        }

        public Builder force(boolean force) {
            this.force = force;
            return this;
        }

        public Builder only(List<String> only) {
            this.only = only;
            return this;
        }

        public Builder envName(String envName) {
            this.envName = envName;
            return this;
        }

        public Builder action(String action) {
            this.action = action;
            return this;
        }

        public Builder parallel(int parallel) {
            this.parallel = parallel;
            return this;
        }

        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        public Builder fileDefaults(Map<String, Object> fileDefaults) {
            this.fileDefaults = fileDefaults;
            return this;
        }

        public StartRequest build() {
            return new StartRequest(apps, file, cwd, env, force, only, envName, action, parallel, strict, fileDefaults);
        }
    }
}
