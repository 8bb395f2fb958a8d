package io.jpm.persist;

import io.jpm.protocol.ProcessState;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The user's dump in pm2's format (dump.pm2, under JPM_FILE_NAMES=pm2): a JSON array with one object
 * per process, that process's pm2_env as jlist lists it without {@code pm_id} and {@code instances}
 * (pm2's save drops them too), so a script that reads pm2's dump ({@code jq '.[].name'}) reads this
 * one. What jpm itself restores is the app's dump entry, whole, under {@link #JPM_APP} in the first
 * process of each app: the listing shows secrets redacted and leaves out what jpm needs (the
 * options as given, each file's read, the stopped instances). A dump pm2 itself wrote is read too.
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
                        .put("status", ProcessState.STOPPED.word())
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

    /**
     * The apps' dump entries: jpm's own, and the apps of processes pm2 itself saved (no jpm entry:
     * a pm2 user's dump.pm2, read as {@link Pm2Processes} says), in the dump's order. {@code home}:
     * the dump's folder, where pm2 kept its logs and pids.
     */
    static JsonArray apps(String text, Path home) {
        if (!(Json.decodeValue(text) instanceof JsonArray processes)) {
            throw new IllegalArgumentException("is not a JSON array (pm2's dump format)");
        }
        Map<String, List<JsonObject>> pm2s = new LinkedHashMap<>();
        // jpm's entry by app, or null for an app of pm2's, in the dump's order
        Map<String, JsonObject> entries = new LinkedHashMap<>();
        for (Object o : processes) {
            if (!(o instanceof JsonObject env) || env.getString("name") == null) {
                throw new IllegalArgumentException("holds a process without a name");
            }
            String name = env.getString("name");
            JsonObject app = env.getJsonObject(JPM_APP);
            if (app != null) {
                entries.put(name, app);
                pm2s.remove(name);
            } else if (entries.get(name) == null) {
                pm2s.computeIfAbsent(name, n -> new ArrayList<>()).add(env);
                entries.putIfAbsent(name, null);
            }
        }
        JsonArray pm2Apps = Pm2Processes.entries(pm2s, home);
        JsonArray apps = new JsonArray();
        int next = 0;
        for (JsonObject entry : entries.values()) {
            apps.add(entry != null ? entry : pm2Apps.getJsonObject(next++));
        }
        return apps;
    }
}
