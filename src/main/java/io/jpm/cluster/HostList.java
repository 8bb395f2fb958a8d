package io.jpm.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** One host's answer to a cluster-wide list: its processes, or why it is unreachable. */
record HostList(String node, JsonArray processes, String error) {
    static final String OK = "ok";
    static final String UNREACHABLE = "unreachable";

    static HostList answered(String node, JsonArray processes) {
        return new HostList(node, processes, null);
    }

    static HostList unreachable(String node, String why) {
        return new HostList(node, new JsonArray(), why);
    }

    /**
     * {"processes":[each with "host":node],"hosts":[{"node","status","error"}]}: the hosts in the order
     * given (by name), each process as its host described it.
     */
    static JsonObject merge(List<HostList> lists) {
        JsonArray processes = new JsonArray();
        JsonArray hosts = new JsonArray();
        for (HostList list : lists) {
            for (Object p : list.processes()) {
                processes.add(((JsonObject) p).copy().put("host", list.node()));
            }
            hosts.add(new JsonObject()
                    .put("node", list.node())
                    .put("status", list.error() == null ? OK : UNREACHABLE)
                    .put("error", list.error()));
        }
        return new JsonObject().put("processes", processes).put("hosts", hosts);
    }
}
