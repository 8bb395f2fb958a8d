package io.jpm.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fleet app as the cluster keeps it (docs/CLUSTER.md, "Fleet apps"): the app as it was started
 * (a {@link DumpEntry} without processes: its source with {@code hosts} and the per-host {@code
 * instances}, its environment, where it was read), the members that run it, whether it should run
 * ({@link #ONLINE}) or rest ({@link #STOPPED}), or was deleted (kept as such, so a member that was
 * away when it was deleted does not bring it back), when that was decided ({@code at}, ms) and by
 * which member ({@code by}: the one whose ecosystem file it came from, which alone keeps the file
 * as the app's origin). Each member's daemon runs its own share of every definition.
 *
 * <pre>
 * {"name":"api","hosts":["web-1","web-2"],"status":"online","deleted":false,"at":1700000000000,
 *  "by":"web-1","app":{"name":"api","source":{"script":"/srv/api.py","hosts":["web-1","web-2"],..},
 *  "env":{..},"file":"/srv/eco.config.js","command_cwd":"/srv","env_name":null,"processes":[]}}
 * </pre>
 */
public record FleetDefinition(
        String name, List<String> hosts, String status, boolean deleted, long at, String by, DumpEntry app) {
    /** A fleet app that runs: its status is the word of the state its instances are asked to be in. */
    public static final String ONLINE = ProcessState.ONLINE.word();

    public static final String STOPPED = ProcessState.STOPPED.word();
    /** {@code hosts: "all"}: every member, those that join later too. */
    public static final String ALL = "all";

    public FleetDefinition {
        hosts = List.copyOf(hosts);
    }

    /** Whether member {@code node} runs a share of it now. */
    public boolean runsOn(String node) {
        return !deleted && (hosts.contains(node) || hosts.contains(ALL));
    }

    public boolean stopped() {
        return STOPPED.equals(status);
    }

    /** The same definition, decided again at {@code now}: resting, running or deleted. */
    public FleetDefinition with(String nextStatus, boolean nowDeleted, long now) {
        return new FleetDefinition(name, hosts, nextStatus, nowDeleted, now, by, app);
    }

    /** The same definition, placed at {@code now} by member {@code node}. */
    public FleetDefinition placed(long now, String node) {
        return new FleetDefinition(name, hosts, status, deleted, now, node, app);
    }

    /**
     * The per-host instance count its options give, or -1 when it depends on the host ({@code
     * "max"}, 0 or a negative number: the host's CPUs); absent is 1.
     */
    public int instances() {
        Object value = app.source().get(AppOption.INSTANCES.key);
        if (value == null) {
            return 1;
        }
        if (value instanceof Number n && n.doubleValue() == n.intValue()) {
            return n.intValue() > 0 ? n.intValue() : -1;
        }
        try {
            int n = Integer.parseInt(String.valueOf(value).strip());
            return n > 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The same definition with {@code instances} per host ({@code jpm scale}), decided at {@code now}. */
    public FleetDefinition scaled(int instances, long now) {
        Map<String, Object> source = new LinkedHashMap<>(app.source());
        source.put(AppOption.INSTANCES.key, instances);
        DumpEntry next = DumpEntry.builder()
                .name(app.name())
                .source(source)
                .env(app.env())
                .file(app.file())
                .commandCwd(app.commandCwd())
                .envName(app.envName())
                .build();
        return new FleetDefinition(name, hosts, status, deleted, now, by, next);
    }

    /** Whether {@code other} asks for the same as this one (what a member runs), whenever and by whomever. */
    public boolean sameAs(FleetDefinition other) {
        return other != null
                && name.equals(other.name)
                && hosts.equals(other.hosts)
                && status.equals(other.status)
                && deleted == other.deleted
                && app.source().equals(other.app.source())
                && app.env().equals(other.app.env());
    }

    public Map<String, Object> toMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("hosts", hosts);
        json.put("status", status);
        json.put("deleted", deleted);
        json.put("at", at);
        json.put("by", by);
        json.put("app", app.toMap());
        return json;
    }

    public static FleetDefinition from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        String name = f.string("name");
        if (name == null || !f.has("app")) {
            throw new IllegalArgumentException("a fleet definition needs a name and an app");
        }
        return new FleetDefinition(
                name,
                f.strings("hosts"),
                f.string("status", ONLINE),
                f.bool("deleted", false),
                f.whole("at", 0L),
                f.string("by"),
                DumpEntry.from(f.object("app").asMap()));
    }
}
