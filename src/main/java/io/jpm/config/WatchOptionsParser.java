package io.jpm.config;

import io.jpm.protocol.AppOption;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Reads pm2's {@code watch_options}, the object pm2 passes to chokidar, into {@link WatchOptions}
 * and what else it changes: chokidar's {@code ignored} replaces ignore_watch (pm2 merges the object
 * over its own options, ignore_watch among them) and {@code awaitWriteFinish} holds a restart until
 * the files have not changed for its stabilityThreshold (jpm's watch_delay does that already, so it
 * sets the smallest watch_delay). Options with no effect on when jpm restarts are accepted (see
 * docs/CONFIG.md); any other name is ignored with a warning naming the closest one jpm knows (pm2
 * passes the object to chokidar, which ignores what it does not know).
 */
final class WatchOptionsParser {
    /** chokidar's options that change what a watch sees. */
    private static final Set<String> ACTING = Set.of(
            "ignored", "followSymlinks", "usePolling", "interval", "binaryInterval", "depth", "awaitWriteFinish");
    /**
     * chokidar's options that change nothing for a restart on change: persistent (the watch lives as
     * long as the app), ignoreInitial (jpm never restarts for files found at start; pm2 sets it too),
     * cwd (paths are resolved against the app's cwd anyway), disableGlobbing, alwaysStat, atomic,
     * ignorePermissionErrors (unreadable folders are skipped always).
     */
    private static final Set<String> NO_EFFECT = Set.of(
            "persistent", "ignoreInitial", "cwd", "disableGlobbing", "alwaysStat", "atomic", "ignorePermissionErrors");
    /** chokidar's awaitWriteFinish: true means a 2 s stabilityThreshold. */
    private static final long DEFAULT_STABILITY_MS = 2000;

    /** What watch_options gives: how to watch, the ignore list if it replaces ignore_watch, and the smallest delay. */
    record Result(WatchOptions options, List<String> ignored, long minDelayMs) {}

    private final BiFunction<String, String, RuntimeException> error;
    private final BiConsumer<String, String> warn;

    /**
     * @param error makes the error for an option ("watch_options.depth") and a message
     * @param warn takes a warning for an option and a message
     */
    WatchOptionsParser(BiFunction<String, String, RuntimeException> error, BiConsumer<String, String> warn) {
        this.error = error;
        this.warn = warn;
    }

    Result parse(Object value, Function<Object, List<String>> ignorePatterns) {
        if (value == null) {
            return new Result(WatchOptions.DEFAULTS, null, 0);
        }
        if (!(value instanceof JsonObject o)) {
            throw error.apply(
                    AppOption.WATCH_OPTIONS.key,
                    "must be an object of chokidar options, like {\"usePolling\": true}, got " + value);
        }
        for (String key : o.fieldNames()) {
            if (!ACTING.contains(key) && !NO_EFFECT.contains(key)) {
                Set<String> all = new TreeSet<>(ACTING);
                all.addAll(NO_EFFECT);
                String hint = Spelling.closest(key, all)
                        .map(s -> "; did you mean '" + s + "'?")
                        .orElse("");
                warn.accept("watch_options." + key, "is not a chokidar option jpm acts on: ignored" + hint);
            }
        }
        boolean follow = bool(o, "followSymlinks", true);
        boolean polling = bool(o, "usePolling", false);
        long interval = Math.max(positive(o, "interval", 100), positive(o, "binaryInterval", 0));
        Object depthValue = o.getValue("depth");
        int depth = -1;
        if (depthValue != null) {
            if (!(depthValue instanceof Number n)
                    || n.doubleValue() != Math.floor(n.doubleValue())
                    || n.intValue() < 0) {
                throw error.apply(
                        "watch_options.depth",
                        "must be a whole number of folder levels (0 or more), got " + depthValue);
            }
            depth = n.intValue();
        }
        List<String> ignored = null;
        Object ignoredValue = o.getValue("ignored");
        if (ignoredValue instanceof String || ignoredValue instanceof JsonArray) {
            ignored = ignorePatterns.apply(ignoredValue);
        } else if (ignoredValue != null) {
            throw error.apply(
                    "watch_options.ignored", "must be a pattern or an array of patterns, got " + ignoredValue);
        }
        return new Result(
                new WatchOptions(follow, polling, interval, depth), ignored, stability(o.getValue("awaitWriteFinish")));
    }

    private long stability(Object value) {
        if (value == null || Boolean.FALSE.equals(value)) {
            return 0;
        }
        if (Boolean.TRUE.equals(value)) {
            return DEFAULT_STABILITY_MS;
        }
        if (value instanceof JsonObject a) {
            for (String key : a.fieldNames()) {
                if (!key.equals("stabilityThreshold") && !key.equals("pollInterval")) {
                    throw error.apply(
                            "watch_options.awaitWriteFinish." + key,
                            "is not an awaitWriteFinish option (stabilityThreshold, pollInterval)");
                }
            }
            return positive(a, "stabilityThreshold", DEFAULT_STABILITY_MS);
        }
        throw error.apply(
                "watch_options.awaitWriteFinish", "must be true, false or {\"stabilityThreshold\": ms}, got " + value);
    }

    private boolean bool(JsonObject o, String key, boolean fallback) {
        Object v = o.getValue(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Boolean b)) {
            throw error.apply("watch_options." + key, "must be true or false, got " + v);
        }
        return b;
    }

    private long positive(JsonObject o, String key, long fallback) {
        Object v = o.getValue(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || n.longValue() <= 0) {
            throw error.apply("watch_options." + key, "must be a positive number of milliseconds, got " + v);
        }
        return n.longValue();
    }
}
