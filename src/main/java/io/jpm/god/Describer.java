package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.config.BalancerOptions;
import io.jpm.config.WatchdogOptions;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.Build;
import io.jpm.protocol.ProcessState;
import io.jpm.protocol.ProcessView;
import io.jpm.protocol.ProcessViewBalancer;
import io.jpm.protocol.ProcessViewFleet;
import io.jpm.protocol.ProcessViewJpm;
import io.jpm.protocol.ProcessViewPm2Env;
import io.jpm.verticle.Plain;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * An instance as pm2's jlist shows it ({@link ProcessView}), so tools written for {@code pm2 jlist}
 * read jpm's output unchanged; jpm's own fields sit beside them under {@code jpm}.
 */
final class Describer {
    /** The declared options shown under this prefix are in pm2_env ({@link AppOption#describedAs}). */
    private static final String PM2_ENV = "pm2_env.";

    private final String host;
    /** Socket mode's open sockets by app. */
    private final Function<String, SharedSockets.AppSockets> sockets;
    /** Socket mode's connections by pid, as last counted ({@link SocketConnections}), null if not. */
    private final IntFunction<Long> connections;

    Describer(String host) {
        this(host, app -> new SharedSockets.AppSockets(List.of(), List.of()));
    }

    Describer(String host, Function<String, SharedSockets.AppSockets> sockets) {
        this(host, sockets, pid -> null);
    }

    Describer(String host, Function<String, SharedSockets.AppSockets> sockets, IntFunction<Long> connections) {
        this.host = host;
        this.sockets = sockets;
        this.connections = connections;
    }

    /**
     * The runs whose connections a full describe shows, with their shared ports: every socket-mode
     * instance of {@code instances} that has a pid.
     */
    Map<Integer, Set<Integer>> sharedPorts(List<Instance> instances) {
        Map<Integer, Set<Integer>> ports = new HashMap<>();
        for (Instance i : instances) {
            if (i.pid() != null && i.config().balancer().sharesSocket()) {
                Set<Integer> own = new HashSet<>();
                sockets.apply(i.name()).open().forEach(o -> own.add(o.port()));
                ports.put(i.pid(), own);
            }
        }
        return ports;
    }

    /** @param withEnv false leaves out {@code pm2_env.env}, most of the bytes, for the ls table */
    JsonObject describe(Instance i, long now, boolean withEnv) {
        return describe(i, now, withEnv ? EnvView.VALUES : EnvView.NONE, null);
    }

    /** {@link #view}, as the bus carries it. */
    JsonObject describe(Instance i, long now, EnvView view, JsonObject balancerStats) {
        return new JsonObject(
                view(i, now, view, new Counted(balancerStats, null)).toMap());
    }

    /**
     * @param view NONE leaves out {@code pm2_env.env}, most of the bytes, for the ls table; NAMES
     *     lists each variable with {@link io.jpm.protocol.Access#REDACTED} for its value
     * @param counted the balancer's counters for this instance's pid (connections, served, bytes_in,
     *     bytes_out, state) and its app's front here ({@link Counted#NONE}: none)
     */
    ProcessView view(Instance i, long now, EnvView view, Counted counted) {
        return row(i, now, view, counted, Pm2EnvView.of(i, view));
    }

    /**
     * What the balancer counted for a row: the instance's own counters, and for a fleet app what this
     * host's front handed out over the last minute to all its instances ({@link #frontsPerMinute}).
     *
     * @param instance the counters of the instance's pid, null when it is not balanced or not running
     * @param frontPerMinute null when this host has no front of the app
     */
    record Counted(JsonObject instance, Long frontPerMinute) {
        /** Nothing counted: an instance not balanced, or a row built without the balancer's stats. */
        static final Counted NONE = new Counted(null, null);
    }

    /**
     * Each app's front on this host: the per-minute counts of all its upstreams in the balancer's stats
     * ({@code jpm.internal.balancer.stats}: this host's instances and, for a fleet app, the others'
     * through the relay), added up by app. An app with no upstream here has no entry.
     */
    static Map<String, Long> frontsPerMinute(JsonObject stats) {
        Map<String, Long> fronts = new HashMap<>();
        for (String key : stats.fieldNames()) {
            Object entry = stats.getValue(key);
            if (entry instanceof JsonObject upstream && upstream.getString("app") != null) {
                fronts.merge(upstream.getString("app"), upstream.getLong("per_minute", 0L), Long::sum);
            }
        }
        return fronts;
    }

    /**
     * {@link #view}'s full row with its pm2_env partly encoded ({@link SteadyParts}): what the bridge's
     * listings carry. The same fields and values as {@code view(...).toMap()}.
     */
    Map<String, Object> partlyEncodedRow(Instance i, long now, EnvView view, Counted counted) {
        // pm2_env is not built here: the row is written with the partly encoded one
        ProcessView row = row(i, now, view, counted, null);
        return row.toMap(SteadyParts.pm2Env(i, view, row.listedId()));
    }

    private ProcessView row(Instance i, long now, EnvView view, Counted counted, ProcessViewPm2Env pm2Env) {
        return new ProcessView(
                i.pid() == null ? 0 : i.pid(),
                i.name(),
                pm2Env,
                i.pmId,
                i.oldRun(),
                i.pid() == null ? 0 : i.satanReports().memory(),
                i.pid() == null ? 0 : i.satanReports().cpu(),
                jpm(i, now, view, counted),
                null);
    }

    private ProcessViewJpm jpm(Instance i, long now, EnvView view, Counted counted) {
        AppConfig c = i.config();
        ProcessViewBalancer balancer = c.balancer().sharesSocket()
                ? sharedSocket(i, view != EnvView.NONE)
                : c.balancer().balanced() ? proxy(i, counted.instance()) : null;
        // the current run's last metrics scrape ({"url","time","error","samples"}), null when none
        JsonObject appMetrics = i.satanReports().appMetricsOf(i.pid());
        return ProcessViewJpm.builder()
                .host(host)
                .instanceId(i.index)
                .uptimeMs(i.uptimeMs(now))
                .killSignal(c.policy().killSignal().name())
                .listenTimeout(c.balancer().listenTimeoutMs())
                .exitSignal(
                        i.run().exitSignal() == null
                                ? null
                                : i.run().exitSignal().name())
                .lastReason(i.lastReason())
                .ecosystemFile(c.origin().file())
                .envName(c.origin().envName())
                // "healthy", "unhealthy", "starting" (no verdict yet for this run), or null without a probe
                .health(c.watchdog().health() == null ? null : i.satanReports().healthOf(i.pid()))
                .healthReason(i.satanReports().healthReason())
                .watchdogRestart(i.satanReports().lastRestart())
                .exitsLastMinute(i.counters().exitsSince(now - 60_000))
                .appMetrics(appMetrics == null ? null : Plain.map(appMetrics))
                .watchdog(Plain.map(watchdogBeyondPm2(i.watchdog())))
                .warnings(c.warnings())
                .balancer(balancer)
                .fleet(
                        c.origin().fleet()
                                ? new ProcessViewFleet(c.origin().hosts(), c.instances(), counted.frontPerMinute())
                                : null)
                .jpmVersion(Build.current().version())
                .build();
    }

    private static ProcessViewBalancer proxy(Instance i, JsonObject stats) {
        BalancerOptions b = i.config().balancer();
        return new ProcessViewBalancer.Proxy(
                b.host(),
                b.port(),
                b.balance().word(),
                i.privatePort() == 0 ? null : i.privatePort(),
                stats == null ? "out" : stats.getString("state"),
                ProcessViewBalancer.Counters.from(stats == null ? Map.of() : stats.getMap()));
    }

    /**
     * What Satan acts on beyond what pm2_env already lists (the watchdog's options whose declaration
     * shows them there): a script that greps jlist for {@code watch: true} finds it once, as under pm2.
     */
    private static JsonObject watchdogBeyondPm2(WatchdogOptions w) {
        JsonObject all = w.toJson();
        for (AppOption option : AppOption.values()) {
            if (option.describedAs != null && option.describedAs.startsWith(PM2_ENV)) {
                all.remove(option.key);
            }
        }
        if (w.erroredRetryMs() == 0) {
            all.remove(
                    AppOption.ERRORED_RETRY
                            .key); // its name holds a status word, and a script counting 'errored' would count it
        }
        return all;
    }

    /**
     * Socket mode: the shared sockets of the app and, in a full describe, how many connections this
     * instance holds on them (counted from /proc off the loop: the kernel hands them out, the daemon
     * sees none).
     */
    private ProcessViewBalancer sharedSocket(Instance i, boolean withConnections) {
        SharedSockets.AppSockets appSockets = sockets.apply(i.name());
        List<SharedSockets.Open> open = appSockets.open();
        Long connections = withConnections && i.pid() != null ? connections(i.pid()) : null;
        return new ProcessViewBalancer.Socket(
                i.config().balancer().host(),
                i.config().balancer().port(),
                open.stream().map(SharedSockets.Open::address).toList(),
                // other apps that listen on the same address: their instances are dealt its connections too
                appSockets.sharedWith(),
                // as the proxy modes say it: ready once it takes connections (a Node run: once it listens)
                i.state() != ProcessState.ONLINE
                        ? "out"
                        : i.ready().succeeded() ? "ready" : i.ready().failed() ? "not listening" : "waiting",
                connections);
    }

    private Long connections(int pid) {
        return this.connections.apply(pid);
    }
}
