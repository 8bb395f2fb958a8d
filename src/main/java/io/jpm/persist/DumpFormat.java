package io.jpm.persist;

import io.jpm.protocol.HomeFileNames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * How a list of apps is written in a dump file. jpm's own ({@code {"version":1,"apps":[DumpEntry...]}})
 * for dump.json and the daemon's records; pm2's ({@link Pm2Dump}: an array of pm2_env objects) for
 * dump.pm2, the user's dump under pm2's file names (one pm2 itself wrote is read too).
 */
enum DumpFormat {
    JPM {
        @Override
        JsonArray apps(String text, Path folder) {
            JsonArray apps = new JsonObject(text).getJsonArray("apps");
            if (apps == null) {
                throw new IllegalArgumentException("has no \"apps\" array");
            }
            return apps;
        }

        @Override
        String render(JsonArray apps, JsonArray processes) {
            return DumpFile.render(apps);
        }
    },
    PM2 {
        @Override
        JsonArray apps(String text, Path folder) {
            return Pm2Dump.apps(text, folder);
        }

        @Override
        String render(JsonArray apps, JsonArray processes) {
            return Pm2Dump.render(apps, processes);
        }

        @Override
        boolean listsProcesses() {
            return true;
        }
    };

    /**
     * The dump entries of a file's text ({@code folder}: the file's); fails (any RuntimeException) on
     * a text that is not this format.
     */
    abstract JsonArray apps(String text, Path folder);

    /**
     * The text of these dump entries; {@code processes}: the list (jlist's shape) when {@link
     * #listsProcesses()}, else not read.
     */
    abstract String render(JsonArray apps, JsonArray processes);

    /** Whether {@link #render} needs the process list beside the dump entries. */
    boolean listsProcesses() {
        return false;
    }

    /** The user's dump's format under these file names. */
    static DumpFormat of(HomeFileNames names) {
        return names == HomeFileNames.PM2 ? PM2 : JPM;
    }
}
