package io.jpm.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One member's ready instances of one fleet app, its entry in {@link FleetRoutes#MAP}:
 * {@code {"relay":"10.0.0.2:5703","instances":[{"pm_id":0,"pid":4242,"port":41234}]}}: where its
 * {@link FleetRelay} listens, and the loopback port of each instance its balancer holds ready.
 */
record FleetReady(String relay, List<Instance> instances) {
    record Instance(int pmId, int pid, int port) {}

    String encode() {
        JsonArray list = new JsonArray();
        instances.forEach(i -> list.add(
                new JsonObject().put("pm_id", i.pmId()).put("pid", i.pid()).put("port", i.port())));
        return new JsonObject().put("relay", relay).put("instances", list).encode();
    }

    static FleetReady parse(String text) {
        JsonObject json = new JsonObject(text);
        List<Instance> instances = new ArrayList<>();
        for (Object o : json.getJsonArray("instances", new JsonArray())) {
            JsonObject i = (JsonObject) o;
            instances.add(new Instance(i.getInteger("pm_id", -1), i.getInteger("pid", 0), i.getInteger("port", 0)));
        }
        return new FleetReady(json.getString("relay"), instances);
    }
}
