package io.jpm.god;

import io.jpm.config.AppConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an edit of an ecosystem file changes in what runs from it, as a pure diff of configs: the
 * apps added, changed (with their running instances), removed (their instances) and unchanged.
 * {@link FileApps} applies it.
 *
 * @param configs the apps the file declares that run from it (its --only selection), in start order
 */
record FileDiff(
        List<AppConfig> configs,
        List<AppConfig> added,
        Map<AppConfig, List<Instance>> changed,
        List<Instance> removed,
        List<String> unchanged) {

    /**
     * @param declared every app the file now declares, in start order
     * @param only the apps the file was started with --only (empty: all); other apps of the file
     *     are not started, but an app gone from the file goes whatever the selection
     */
    static FileDiff of(String file, List<AppConfig> declared, List<String> only, ProcessTable table) {
        List<AppConfig> configs = only.isEmpty()
                ? declared
                : declared.stream().filter(c -> only.contains(c.name())).toList();
        List<String> unchanged = new ArrayList<>();
        List<AppConfig> added = new ArrayList<>();
        Map<AppConfig, List<Instance>> changed = new LinkedHashMap<>();
        for (AppConfig config : configs) {
            List<Instance> running = table.named(config.name());
            if (running.isEmpty()) {
                added.add(config);
            } else if (sameConfig(running.get(0).config(), config)) {
                unchanged.add(config.name());
            } else {
                changed.put(config, running);
            }
        }
        List<Instance> removed = table.all().stream()
                .filter(i -> file.equals(i.config().origin().file()))
                .filter(i -> declared.stream().noneMatch(c -> c.name().equals(i.name())))
                .toList();
        return new FileDiff(configs, added, changed, removed, unchanged);
    }

    /** The diff as the config watcher logs it and publishes it on {@code jpm.events.config}. */
    JsonObject toJson() {
        JsonObject diff = new JsonObject()
                .put("added", new JsonArray(added.stream().map(AppConfig::name).toList()))
                .put(
                        "changed",
                        new JsonArray(
                                changed.keySet().stream().map(AppConfig::name).toList()))
                .put(
                        "removed",
                        new JsonArray(
                                removed.stream().map(Instance::name).distinct().toList()))
                .put("unchanged", new JsonArray(unchanged));
        List<String> warnings =
                configs.stream().flatMap(c -> c.warnings().stream()).toList();
        if (!warnings.isEmpty()) {
            diff.put("warnings", new JsonArray(warnings));
        }
        return diff;
    }

    /**
     * The file declares the app as it did when it was last read for it, from the same file with the
     * same --env: the app is left alone (same pids). What was done to the app since (options given
     * on the command line, a scale, an --update-env, a resurrect or a daemon's restart) is no edit of
     * the file, and the environment the file is read with is the command's that started it, no part
     * of the file: only the apps an edit changes restart.
     */
    static boolean sameConfig(AppConfig running, AppConfig next) {
        return running.declared().equals(next.declared()) && running.origin().equals(next.origin());
    }

    /** Instance count, log and pid paths are fixed per instance: a change there replaces the instances. */
    static boolean needsNewInstances(List<Instance> running, AppConfig next) {
        AppConfig now = running.get(0).config();
        return running.size() != next.instances()
                || !Objects.equals(now.outFile(), next.outFile())
                || !Objects.equals(now.errorFile(), next.errorFile())
                || !Objects.equals(now.ecosystem().pidFile(), next.ecosystem().pidFile());
    }
}
