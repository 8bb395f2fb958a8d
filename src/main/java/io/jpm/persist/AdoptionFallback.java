package io.jpm.persist;

import io.jpm.protocol.DumpEntry;
import io.jpm.verticle.Plain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * The one line a daemon that could not adopt its predecessor's runs keeps for {@code jpm ls} while
 * it runs (docs/ARCHITECTURE.md, "The keeper"): how many it started again instead, and why it could
 * not adopt them (no keeper, a keeper that is no subreaper or held none of their pipes, no record of
 * its own). Nothing when it adopted what it could: a run that had ended is restarted by its policy.
 */
final class AdoptionFallback {
    private AdoptionFallback() {}

    /**
     * @param restarted the runs of the record started again rather than adopted
     * @param keeper the keeper's inventory as the daemon answers it (Addresses.INTERNAL_KEEPER_INVENTORY)
     * @param record the record restored (state.json, its .bak, dump.json), null when there was none
     * @param autoDump whether the daemon keeps its own record (persist.auto_dump)
     */
    static Optional<String> note(int restarted, JsonObject keeper, String record, boolean autoDump) {
        if (restarted <= 0 || record == null || record.startsWith("handover.json")) {
            return Optional.empty(); // nothing restarted, or an update, which says so itself
        }
        String why;
        if (keeper.getLong("keeper", 0L) == 0) {
            why = "this daemon runs without a keeper (JPM_KEEPER=0, or no perl)";
        } else if (!keeper.getBoolean("subreaper", false)) {
            why = "its keeper cannot be the apps' subreaper on this system";
        } else if (keeper.getJsonObject("held", new JsonObject()).isEmpty()) {
            why = "no keeper held their pipes (the previous daemon ran without one, or its keeper had ended)";
        } else if (!record.startsWith("state.json")) {
            why = autoDump
                    ? "state.json was missing; restored from " + record
                    : "persist.auto_dump is off, so no state.json; restored from " + record;
        } else {
            return Optional.empty();
        }
        return Optional.of("apps restarted after a daemon crash: " + restarted + " (could not adopt: " + why + ")");
    }

    /** The runs a record lists. */
    static int runs(JsonArray apps) {
        int runs = 0;
        for (Object o : apps) {
            runs += DumpEntry.from(Plain.map((JsonObject) o)).processes().size();
        }
        return runs;
    }
}
