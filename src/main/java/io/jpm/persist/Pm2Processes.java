package io.jpm.persist;

import io.jpm.protocol.AppOption;
import io.jpm.protocol.DumpEntry;
import io.jpm.protocol.ProcessState;
import io.jpm.verticle.Plain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A dump pm2 itself wrote (dump.pm2 without jpm's entries: a pm2 user's saved list when jpm takes
 * over their home under pm2's names), read as jpm's dump entries: each app's processes become one
 * app with as many instances, its script, folder, interpreter, mode, arguments and the options pm2
 * kept in pm2_env that jpm knows, run with the environment pm2 ran it with; a process pm2 saved
 * stopped stays stopped. Log and pid files at pm2's default places are left to jpm's defaults,
 * which are the same; other ones are kept (without the {@code -<pm_id>} pm2 added for an instance).
 */
final class Pm2Processes {
    /** The option names jpm reads (pm2's, both the ones it acts on and the ones it accepts and ignores). */
    private static final Set<String> OPTIONS = Stream.concat(
                    Stream.of(AppOption.values()).map(o -> o.key), AppOption.IGNORED.stream())
            .collect(Collectors.toUnmodifiableSet());
    /** pm2_env's fields that are options but are read here another way, or say who ran it. */
    private static final Set<String> NOT_COPIED = Set.of(
            AppOption.NAME.key,
            AppOption.SCRIPT.key,
            AppOption.CWD.key,
            AppOption.ENV.key,
            AppOption.EXEC_MODE.key,
            AppOption.INSTANCES.key,
            AppOption.INTERPRETER.key,
            "node_args",
            "username");
    /** What pm2 adds to an instance's log or pid file name. */
    private static final Pattern INSTANCE_SUFFIX = Pattern.compile("-\\d+(?=\\.[^./]*$)");

    private Pm2Processes() {}

    /**
     * jpm's dump entries of pm2's processes ({@code name} to its processes' pm2_env, in the dump's
     * order); {@code home} is where pm2 kept its logs and pids.
     */
    static JsonArray entries(Map<String, List<JsonObject>> byName, Path home) {
        JsonArray entries = new JsonArray();
        byName.forEach((name, processes) -> entries.add(entry(name, processes, home)));
        return entries;
    }

    private static JsonObject entry(String name, List<JsonObject> processes, Path home) {
        JsonObject first = processes.get(0);
        String script = first.getString("pm_exec_path");
        if (script == null) {
            throw new IllegalArgumentException("app '" + name + "' has no pm_exec_path (its script)");
        }
        JsonObject env = first.getJsonObject(AppOption.ENV.key, new JsonObject());
        JsonObject source = new JsonObject();
        source.put(AppOption.NAME.key, name);
        source.put(AppOption.SCRIPT.key, script);
        String cwd = first.getString("pm_cwd");
        if (cwd != null) {
            source.put(AppOption.CWD.key, cwd);
        }
        String interpreter = first.getString("exec_interpreter");
        if (interpreter != null && !interpreter.isBlank()) {
            source.put(AppOption.INTERPRETER.key, interpreter);
        }
        Object nodeArgs = first.getValue("node_args");
        if (nodeArgs instanceof JsonArray args && !args.isEmpty()) {
            source.put("node_args", args.copy());
        }
        source.put(
                AppOption.EXEC_MODE.key,
                "cluster_mode".equals(first.getString(AppOption.EXEC_MODE.key)) ? "cluster" : "fork");
        source.put(AppOption.INSTANCES.key, processes.size());
        first.forEach(field -> {
            String key = field.getKey();
            // pm2 merges the app's environment into pm2_env: a variable named like an option is not one
            if (OPTIONS.contains(key)
                    && !NOT_COPIED.contains(key)
                    && !env.containsKey(key)
                    && field.getValue() != null) {
                source.put(key, field.getValue());
            }
        });
        // pm2 names an instance's log files with its pm_id unless merged (a fork app alone is), its pid file always
        boolean perInstance = !Boolean.TRUE.equals(first.getValue(AppOption.MERGE_LOGS.key))
                && (processes.size() > 1 || "cluster".equals(source.getString(AppOption.EXEC_MODE.key)));
        Path logs = home.resolve("logs");
        file(source, AppOption.OUT_FILE.key, first.getString("pm_out_log_path"), logs, name + "-out", perInstance);
        file(source, AppOption.ERROR_FILE.key, first.getString("pm_err_log_path"), logs, name + "-error", perInstance);
        file(source, AppOption.LOG_FILE.key, first.getString("pm_log_path"), logs, name, perInstance);
        file(source, AppOption.PID_FILE.key, first.getString("pm_pid_path"), home.resolve("pids"), name, true);
        Map<String, String> environment = new LinkedHashMap<>();
        env.forEach(e -> {
            // pm2 lists the app's empty module configuration as an object, never given to the process
            if (e.getValue() instanceof String || e.getValue() instanceof Number || e.getValue() instanceof Boolean) {
                environment.put(e.getKey(), String.valueOf(e.getValue()));
            }
        });
        environment.remove("unique_id");
        List<Integer> stopped = new ArrayList<>();
        for (int position = 0; position < processes.size(); position++) {
            if (ProcessState.STOPPED.is(processes.get(position).getString("status"))) {
                stopped.add(position);
            }
        }
        return Plain.json(DumpEntry.builder()
                .name(name)
                .source(Plain.map(source))
                .env(environment)
                .commandCwd(cwd)
                .stopped(stopped)
                .build()
                .toMap());
    }

    /**
     * A log or pid file pm2 kept for the app: left out when it is pm2's default in {@code folder}
     * ({@code <base>[-<pm_id>].<ext>}, which jpm's default is too), else kept, without the instance's
     * pm_id when pm2 added one ({@code perInstance}).
     */
    private static void file(
            JsonObject source, String option, String path, Path folder, String base, boolean perInstance) {
        if (path == null || path.isBlank()) {
            return;
        }
        Path file = Path.of(path);
        String fileName = file.getFileName().toString();
        boolean pm2Default = folder.equals(file.getParent())
                && fileName.startsWith(base)
                && fileName.substring(base.length()).matches("(-\\d+)?\\.(log|pid)");
        if (!pm2Default) {
            source.put(option, perInstance ? INSTANCE_SUFFIX.matcher(path).replaceFirst("") : path);
        }
    }
}
