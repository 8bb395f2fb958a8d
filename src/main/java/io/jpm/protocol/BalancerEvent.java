package io.jpm.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Published on {@link Addresses#EVENTS_BALANCER} when the balancer's view of an app changes.
 *
 * <pre>{"app":"api","event":"ready","pm_id":3,"pid":4242,"port":41234,"detail":"in rotation (2 ready)",
 *  "time":1700000000000,"host":"box"}</pre>
 *
 * {@code event} is one of {@code listening} (public port open; pm_id/pid null, port public),
 * {@code closed}, {@code ready} (an instance joined the rotation), {@code not_ready} (it did not
 * accept within listen_timeout), {@code port_taken} (its private port accepts, but another process
 * listens there: it stays out of the rotation), {@code out} (left the rotation), {@code draining}, {@code drained},
 * {@code retry} (a connection to an instance failed before any byte and goes to another),
 * {@code no_instance} (a client waited for a ready instance in vain and was closed), {@code down}
 * (every instance is errored: clients are refused at once until one starts again).
 */
public record BalancerEvent(
        String app, String event, Integer pmId, Integer pid, Integer port, String detail, long time, String host) {
    public Map<String, Object> toMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("app", app);
        json.put("event", event);
        json.put("pm_id", pmId);
        json.put("pid", pid);
        json.put("port", port);
        json.put("detail", detail);
        json.put("time", time);
        json.put("host", host);
        return json;
    }

    public static BalancerEvent from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        return new BalancerEvent(
                f.string("app"),
                f.string("event"),
                f.integer("pm_id"),
                f.integer("pid"),
                f.integer("port"),
                f.string("detail"),
                f.whole("time", 0L),
                f.string("host"));
    }
}
