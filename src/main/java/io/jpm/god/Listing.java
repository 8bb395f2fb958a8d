package io.jpm.god;

import io.jpm.config.LogPaths;
import io.jpm.protocol.ProcessState;
import io.jpm.protocol.ProcessSummary;
import io.jpm.protocol.ProcessView;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What God answers about its instances: jlist and describe in pm2's shape ({@link ProcessView}, built
 * by {@link Describer} with the balancer's counters for balanced runs), and the short summary a
 * command replies with.
 */
final class Listing {
    private final ProcessTable table;
    private final BalancerLink balancer;
    private final Describer describer;
    private final SocketConnections connections;

    Listing(ProcessTable table, BalancerLink balancer, Describer describer, SocketConnections connections) {
        this.table = table;
        this.balancer = balancer;
        this.describer = describer;
        this.connections = connections;
    }

    /** jlist: every instance, then a reload's old runs (pm2 lists them too, as _old_<pm_id>). */
    List<Instance> listed() {
        List<Instance> all = new ArrayList<>(table.all());
        all.addAll(table.oldRuns());
        return all;
    }

    /** Descriptions in pm2's shape; balanced instances also get the balancer's counters for their pid. */
    Future<JsonArray> describe(List<Instance> instances, EnvView view) {
        return describe(instances, view, false);
    }

    /**
     * @param partly rows whose pm2_env is partly encoded ({@link SteadyParts}), for a reply only the
     *     bridge encodes
     */
    Future<JsonArray> describe(List<Instance> instances, EnvView view, boolean partly) {
        return connections(instances, view)
                .compose(v -> stats(instances))
                .map(byPid -> render(instances, byPid, view, false, partly));
    }

    /**
     * jlist and ls: every instance and old run as the table is once the balancer's counters are in.
     * Listed before that wait, a run a reload moved aside meanwhile showed as {@code _old_<pm_id>}
     * twice and its pm_id's new run not at all.
     *
     * @param table only what the ls table shows of each ({@link ProcessView#toTableMap})
     * @param partly full rows whose pm2_env is partly encoded ({@link SteadyParts})
     */
    Future<JsonArray> describeAll(EnvView view, boolean table, boolean partly) {
        return connections(listed(), view)
                .compose(v -> stats(listed()))
                .map(byPid -> render(listed(), byPid, view, table, partly));
    }

    /** Socket mode's connection counts, which only a full describe shows, no older than they may be. */
    private Future<Void> connections(List<Instance> instances, EnvView view) {
        if (view == EnvView.NONE) {
            return Future.succeededFuture();
        }
        return connections.fresh(
                describer.sharedPorts(listed()),
                describer.sharedPorts(instances).keySet());
    }

    private Future<JsonObject> stats(List<Instance> instances) {
        return instances.stream().anyMatch(BalancerLink::balanced)
                ? balancer.stats()
                : Future.succeededFuture(new JsonObject());
    }

    private JsonArray render(List<Instance> instances, JsonObject byPid, EnvView view, boolean table, boolean partly) {
        long now = System.currentTimeMillis();
        JsonArray array = new JsonArray();
        Map<String, Long> fronts = Describer.frontsPerMinute(byPid);
        for (Instance i : instances) {
            JsonObject stats = i.pid() == null ? null : byPid.getJsonObject(Integer.toString(i.pid()));
            Describer.Counted counted = new Describer.Counted(stats, fronts.get(i.name()));
            if (partly && !table) {
                array.add(new JsonObject(describer.partlyEncodedRow(i, now, view, counted)));
                continue;
            }
            ProcessView row = describer.view(i, now, view, counted);
            array.add(new JsonObject(table ? row.toTableMap() : row.toMap()));
        }
        return array;
    }

    /** The log files of these instances, once each, without /dev/null ({@code jpm flush}). */
    static JsonObject logFiles(List<Instance> instances) {
        Set<String> paths = new LinkedHashSet<>();
        for (Instance i : instances) {
            for (String path : new String[] {i.outLog, i.errLog, i.combinedLog()}) {
                if (path != null && !LogPaths.DEV_NULL.equals(path)) {
                    paths.add(path);
                }
            }
        }
        return new JsonObject().put("paths", new JsonArray(new ArrayList<>(paths)));
    }

    /**
     * A command's reply: pm_id, name, status and pid of each instance it acted on; for one that
     * runs nothing, what its last run left holding its output (a stop's or delete's); why when errored.
     */
    static JsonArray summariesOf(List<Instance> instances) {
        JsonArray array = new JsonArray();
        instances.forEach(i -> array.add(new JsonObject(new ProcessSummary(
                        i.pmId,
                        i.name(),
                        i.state().word(),
                        i.pid(),
                        i.config().warnings(),
                        i.pid() == null ? i.run().escaped() : null,
                        i.state() == ProcessState.ERRORED ? i.lastReason() : null)
                .toMap())));
        return array;
    }

    /** Runs an action on each instance at once; then their summaries (whatever each action's outcome). */
    static <T> Future<JsonArray> afterEach(List<Instance> instances, Function<Instance, Future<T>> action) {
        List<Future<T>> futures = instances.stream().map(action).toList();
        return Future.join(futures).map(v -> summariesOf(instances));
    }
}
