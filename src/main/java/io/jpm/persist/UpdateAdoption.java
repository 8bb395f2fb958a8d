package io.jpm.persist;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Whether {@code jpm update} can leave the apps running for the new daemon to adopt
 * (docs/ARCHITECTURE.md, "The keeper"): only when this daemon runs under a keeper that is the apps'
 * subreaper (so they fall to it, not to init, and their pipes are held), and the client named the
 * new daemon's command for the keeper to start. Otherwise the update stops the apps and the new
 * daemon starts them again, as before.
 */
final class UpdateAdoption {
    private static final String RESTARTS = "restart_time";
    private static final String UNSTABLE_RESTARTS = "unstable_restarts";

    private UpdateAdoption() {}

    /**
     * Why the apps cannot be adopted, or null when they can.
     *
     * @param keeper the keeper's inventory as the daemon answers it (Addresses.INTERNAL_KEEPER_INVENTORY)
     * @param script the new keeper script the client wrote, null from an older client
     * @param command the new daemon's command, null from an older client or one without perl
     */
    static String cannotAdopt(JsonObject keeper, String script, JsonArray command) {
        if (keeper.getLong("keeper", 0L) == 0) {
            return "this daemon runs without a keeper (it was started with JPM_KEEPER=0, or without perl)";
        }
        if (!keeper.getBoolean("subreaper", false)) {
            return "its keeper cannot be the apps' subreaper on this system";
        }
        if (script == null || command == null || command.isEmpty()) {
            return "the client names no keeper to run the new daemon (no perl, or JPM_KEEPER=0 where it runs)";
        }
        return null;
    }

    /**
     * The handover's apps with their restart counts (restart_time, unstable_restarts) at 0, as pm2's
     * update leaves them: it starts every app again under a new daemon, which counts from 0 (pm2
     * 7.0.4: restart_time 1 before {@code pm2 update}, 0 after). The runs themselves are adopted
     * as they run, and the restart policy's own state (unstable exits in a row, backoff) goes on.
     */
    static JsonArray countsFromZero(JsonArray apps) {
        JsonArray out = apps.copy();
        for (Object app : out) {
            for (String runs : List.of("processes", "instances", "old_runs")) {
                JsonArray list = ((JsonObject) app).getJsonArray(runs);
                if (list != null) {
                    list.forEach(run -> ((JsonObject) run).put(RESTARTS, 0).put(UNSTABLE_RESTARTS, 0));
                }
            }
        }
        return out;
    }
}
