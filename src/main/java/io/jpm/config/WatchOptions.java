package io.jpm.config;

import io.vertx.core.json.JsonObject;

/**
 * How files are watched, from pm2's {@code watch_options} (which pm2 hands to chokidar): the
 * chokidar options that change what a watch sees, with chokidar's defaults.
 *
 * @param followSymlinks follow symbolic links to folders and files (chokidar's default: yes)
 * @param usePolling scan the files every {@code intervalMs} instead of inotify: for network and
 *     container file systems whose changes inotify does not see
 * @param intervalMs the scan period when polling (chokidar's interval, 100 ms)
 * @param depth how many levels of sub-folders are watched; -1 for all (chokidar's depth)
 */
public record WatchOptions(boolean followSymlinks, boolean usePolling, long intervalMs, int depth) {
    public static final WatchOptions DEFAULTS = new WatchOptions(true, false, 100, -1);

    public JsonObject toJson() {
        return new JsonObject()
                .put("followSymlinks", followSymlinks)
                .put("usePolling", usePolling)
                .put("interval", intervalMs)
                .put("depth", depth);
    }

    public static WatchOptions fromJson(JsonObject json) {
        if (json == null) {
            return DEFAULTS;
        }
        return new WatchOptions(
                json.getBoolean("followSymlinks", true),
                json.getBoolean("usePolling", false),
                json.getLong("interval", 100L),
                json.getInteger("depth", -1));
    }
}
