package io.jpm.protocol;

import java.util.List;
import java.util.Map;

/**
 * A fleet app's instance's {@code jpm.fleet} (docs/CLUSTER.md, "Fleet apps"): the hosts the cluster
 * asks the app of, how many instances each runs, and what this host's front handed out over the last
 * minute, so a reader of every host's list (the dashboard's fleet view) tells a fleet app's instances
 * from an app that has the same name on each host, and counts what was asked. Nothing in it is secret.
 *
 * <pre>{"hosts":["web-1","web-2"],"instances":2,"front_per_minute":42}</pre>
 *
 * @param hosts the app's {@code hosts} as given: node names, or {@code ["all"]}
 * @param instances how many instances each named host runs; a host with more runs the extras of a lost
 *     one ({@code NODE_APP_INSTANCE} from this number up)
 * @param frontPerMinute requests (HTTP mode) or connections that this host's public port of the app
 *     handed over the last minute to its instances, this host's and the others'; null when this host has
 *     no front of the app (no port, or socket mode, whose connections the kernel deals)
 */
public record ProcessViewFleet(List<String> hosts, int instances, Long frontPerMinute) {
    public ProcessViewFleet {
        hosts = List.copyOf(hosts);
    }

    Map<String, Object> toMap() {
        ProcessViewWriter row = new ProcessViewWriter(false);
        row.full("hosts", hosts);
        row.full("instances", instances);
        row.full("front_per_minute", frontPerMinute);
        return row.map();
    }

    static ProcessViewFleet from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        return new ProcessViewFleet(
                f.strings("hosts"),
                f.integer("instances", 0),
                f.has("front_per_minute") ? f.whole("front_per_minute", 0) : null);
    }
}
