package io.jpm.persist;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The user's dump in pm2's format (dump.pm2, under JPM_FILE_NAMES=pm2): a JSON array with one object
 * per process, that process's pm2_env as jlist lists it without {@code pm_id} and {@code instances}
 * (pm2's save drops them too), so a script that reads pm2's dump ({@code jq '.[].name'}) reads this
 * one. What jpm itself restores is the app's dump entry, whole, under {@link #JPM_APP} in the first
 * process of each app: the listing shows secrets redacted and leaves out what jpm needs (the
 * options as given, each file's read, the stopped instances).
 */
final class Pm2Dump {
    /** The key of an app's dump entry in its first process's object. */
    static final String JPM_APP = "jpm_app";

    private Pm2Dump() {}

    /** pm2's array: each app's processes in pm_id order, the first carrying the app's entry. */
    static String render(JsonArray apps, JsonArray processes) {
        JsonArray out = new JsonArray();
        for (Object o : apps) {
            JsonObject app = (JsonObject) o;
            List<JsonObject> own = new ArrayList<>();
            for (Object p : processes) {
                JsonObject process = (JsonObject) p;
                if (app.getString("name").equals(process.getString("name"))) {
                    own.add(process);
                }
            }
            own.sort(Comparator.comparingInt(p -> p.getInteger("pm_id", 0)));
            if (own.isEmpty()) {
                // an app scaled to no process: still one object, which names it
                out.add(new JsonObject()
                        .put("name", app.getString("name"))
                        .put("status", "stopped")
                        .put(JPM_APP, app));
            }
            for (int i = 0; i < own.size(); i++) {
                JsonObject env =
                        own.get(i).getJsonObject("pm2_env", new JsonObject()).copy();
                env.remove("pm_id");
                env.remove("instances");
                if (i == 0) {
                    env.put(JPM_APP, app);
                }
                out.add(env);
            }
        }
        return out.encodePrettily() + "\n";
    }

    /** The apps' dump entries; a process of an app without one (a dump pm2 itself wrote) is refused, naming it. */
    static JsonArray apps(String text) {
        if (!(Json.decodeValue(text) instanceof JsonArray processes)) {
            throw new IllegalArgumentException("is not a JSON array (pm2's dump format)");
        }
        JsonArray apps = new JsonArray();
        Set<String> named = new LinkedHashSet<>();
        Set<String> withoutEntry = new LinkedHashSet<>();
        for (Object o : processes) {
            if (!(o instanceof JsonObject env) || env.getString("name") == null) {
                throw new IllegalArgumentException("holds a process without a name");
            }
            JsonObject app = env.getJsonObject(JPM_APP);
            if (app != null) {
                apps.add(app);
                named.add(env.getString("name"));
            } else {
                withoutEntry.add(env.getString("name"));
            }
        }
        withoutEntry.removeAll(named);
        if (!withoutEntry.isEmpty()) {
            throw new IllegalArgumentException("names " + String.join(", ", withoutEntry) + " without jpm's entry (\""
                    + JPM_APP + "\"): written by pm2 itself?");
        }
        return apps;
    }
}
