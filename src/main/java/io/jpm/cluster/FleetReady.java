package io.jpm.cluster;

import io.jpm.protocol.ProcessState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One member's ready instances of one fleet app, its entry in {@link FleetRoutes#MAP}:
 * {@code {"relay":"10.0.0.2:5703","instances":[{"pm_id":0,"pid":4242,"port":41234}],"leaving":false}}:
 * where its {@link FleetRelay} listens, and the loopback port of each instance its balancer holds
 * ready (an app without a port: each instance online, port 0); {@code leaving}: its daemon hands over
 * to the next one ({@code jpm update}), its instances run on ({@link FleetCover} waits for it).
 */
record FleetReady(String relay, List<Instance> instances, boolean leaving) {
    record Instance(int pmId, int pid, int port) {}

    String encode() {
        JsonArray list = new JsonArray();
        instances.forEach(i -> list.add(
                new JsonObject().put("pm_id", i.pmId()).put("pid", i.pid()).put("port", i.port())));
        return new JsonObject()
                .put("relay", relay)
                .put("instances", list)
                .put("leaving", leaving)
                .encode();
    }

    static FleetReady parse(String text) {
        JsonObject json = new JsonObject(text);
        List<Instance> instances = new ArrayList<>();
        for (Object o : json.getJsonArray("instances", new JsonArray())) {
            JsonObject i = (JsonObject) o;
            instances.add(new Instance(i.getInteger("pm_id", -1), i.getInteger("pid", 0), i.getInteger("port", 0)));
        }
        return new FleetReady(json.getString("relay"), instances, json.getBoolean("leaving", false));
    }

    /**
     * The fleet apps without a balancer here (no port, or not open yet) added to {@code mine}: each
     * instance online in {@code listed} (God's table rows) is a ready one, at port 0 (no front
     * routes to it; {@link FleetCover} counts it). Their names are returned.
     */
    static Set<String> addUnbalanced(
            Map<String, FleetReady> mine,
            JsonArray listed,
            Set<String> fleet,
            Set<String> balanced,
            String relay,
            boolean leaving) {
        Set<String> apps = new java.util.HashSet<>();
        for (Object o : listed) {
            JsonObject row = (JsonObject) o;
            String app = row.getString("name");
            if (!fleet.contains(app) || balanced.contains(app)) {
                continue;
            }
            apps.add(app);
            FleetReady ready = mine.computeIfAbsent(app, a -> new FleetReady(relay, new ArrayList<>(), leaving));
            String status = row.getJsonObject("pm2_env", new JsonObject()).getString("status");
            if (!leaving
                    && ProcessState.ONLINE.word().equals(status)
                    && row.getValue("pm_id") instanceof Integer pmId
                    && row.getValue("pid") instanceof Integer pid) {
                ready.instances().add(new Instance(pmId, pid, 0));
            }
        }
        return apps;
    }
}
