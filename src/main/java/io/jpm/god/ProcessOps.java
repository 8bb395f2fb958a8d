package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.process.Signal;
import io.jpm.protocol.ActionRequest;
import io.jpm.protocol.Durations;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.ProcessState;
import io.jpm.protocol.SignalRequest;
import io.jpm.protocol.StdinRequest;
import io.jpm.protocol.TargetRequest;
import io.jpm.verticle.Plain;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * What God does to running processes without changing their lifecycle: a signal (sendSignal), a
 * line to stdin (send, attach), the counters reset (reset). Runs on God's event loop.
 */
final class ProcessOps {
    private static final Logger LOG = Logger.getLogger("jpm.god");

    private final ProcessTable table;
    private final Supervisor supervisor;
    private final Function<TargetRequest, Future<List<Instance>>> resolve;

    ProcessOps(ProcessTable table, Supervisor supervisor, Function<TargetRequest, Future<List<Instance>>> resolve) {
        this.table = table;
        this.supervisor = supervisor;
        this.resolve = resolve;
    }

    /** pm2's sendSignal: to each target's process group; refused when none of them runs. */
    Future<JsonArray> signal(JsonObject body) {
        SignalRequest request = SignalRequest.from(Plain.map(body));
        Signal signal;
        try {
            signal = Signal.parse(request.signal());
        } catch (IllegalArgumentException e) {
            throw new JpmException(JpmError.INVALID_ARGUMENT, e.getMessage());
        }
        return resolve.apply(request.target()).map(instances -> {
            List<Instance> reached =
                    instances.stream().filter(i -> supervisor.signal(i, signal)).toList();
            if (reached.isEmpty()) {
                throw new JpmException(
                        JpmError.UNKNOWN_TARGET,
                        "no running process among "
                                + String.join(", ", request.target().targets()));
            }
            LOG.info(() -> signal + " sent to " + reached.size() + " process group(s)");
            return Listing.summariesOf(reached);
        });
    }

    /** pm2's send and attach: a line to a running instance's stdin; pm2's errors for an unknown or offline one. */
    Future<JsonArray> writeStdin(JsonObject body) {
        StdinRequest request = StdinRequest.from(Plain.map(body));
        Instance instance = table.byId(request.pmId());
        if (instance == null) {
            throw new JpmException(JpmError.UNKNOWN_TARGET, "Process with ID <" + request.pmId() + "> unknown.");
        }
        String offline = "Process with ID <" + request.pmId() + "> offline.";
        if (!instance.state().hasProcess() || instance.state() == ProcessState.STOPPING) {
            throw new JpmException(JpmError.INVALID_ARGUMENT, offline);
        }
        switch (supervisor.writeStdin(instance, request.line().getBytes(StandardCharsets.UTF_8))) {
            case QUEUED:
                return Future.succeededFuture(Listing.summariesOf(List.of(instance)));
            case CLOSED:
                throw new JpmException(
                        JpmError.INVALID_ARGUMENT, "Process with ID <" + request.pmId() + "> has closed its stdin.");
            case FULL:
                throw new JpmException(
                        JpmError.UNAVAILABLE,
                        "Process with ID <" + request.pmId()
                                + "> has left 1 MiB of its stdin unread: nothing more is queued until it reads.");
            default:
                throw new JpmException(JpmError.INVALID_ARGUMENT, offline);
        }
    }

    /**
     * pm2's sendDataToProcessId: the packet, as it is, to the app's {@code process.on('message')}
     * through its IPC channel (Node apps only, as in pm2).
     */
    Future<JsonArray> sendData(JsonObject body) {
        if (!(body.getValue("pm_id") instanceof Number id) || id.doubleValue() != id.intValue()) {
            throw new JpmException(
                    JpmError.INVALID_ARGUMENT,
                    "field 'pm_id' must be a whole number, not " + Json.encode(body.getValue("pm_id")));
        }
        if (!(body.getValue("packet") instanceof JsonObject packet)) {
            throw new JpmException(
                    JpmError.INVALID_ARGUMENT,
                    "field 'packet' must be an object, not " + Json.encode(body.getValue("packet")));
        }
        Instance instance = table.byId(id.intValue());
        if (instance == null) {
            throw new JpmException(JpmError.UNKNOWN_TARGET, "Process with ID <" + id + "> unknown.");
        }
        if (!instance.state().hasProcess() || instance.state() == ProcessState.STOPPING) {
            throw new JpmException(JpmError.INVALID_ARGUMENT, "Process with ID <" + id + "> offline.");
        }
        if (instance.channel() == null || !instance.channel().sendJson(packet.encode())) {
            throw new JpmException(
                    JpmError.INVALID_ARGUMENT,
                    "Process with ID <" + id
                            + "> has no IPC channel open (only a Node app hears process.on('message'))");
        }
        return Future.succeededFuture(Listing.summariesOf(List.of(instance)));
    }

    /** pm2's reset: the restart counters back to 0. */
    static JsonArray reset(List<Instance> instances) {
        for (Instance instance : instances) {
            instance.counters().reset();
        }
        return Listing.summariesOf(instances);
    }

    /** pm2's monitor and unmonitor: the flag jlist lists as pm2_env._km_monitored, kept across restarts. */
    static JsonArray monitored(List<Instance> instances, boolean monitored) {
        for (Instance instance : instances) {
            instance.monitored(monitored);
        }
        return Listing.summariesOf(instances);
    }

    /**
     * {@code restart|reload --listen-timeout}, checked before anything changes: its milliseconds, or
     * null when the request has none.
     */
    static Future<Long> listenTimeoutMs(String value) {
        if (value == null) {
            return Future.succeededFuture();
        }
        long ms = Durations.parseMillis(value);
        return ms > 0
                ? Future.succeededFuture(ms)
                : Future.failedFuture(new JpmException(
                        JpmError.INVALID_ARGUMENT,
                        "listen_timeout must be a positive duration (milliseconds, or like 500ms, 20s), got '" + value
                                + "'"));
    }

    /** The instances' listen_timeout from now on, as pm2's reload keeps it in the app's options; null leaves it. */
    static List<Instance> applyListenTimeout(List<Instance> instances, Long ms) {
        if (ms != null) {
            Map<AppConfig, AppConfig> changed = new IdentityHashMap<>();
            instances.forEach(i -> i.reconfigure(changed.computeIfAbsent(i.config(), c -> c.withListenTimeout(ms))));
        }
        return instances;
    }

    /** {@code jpm restart --watch} toggles watching, as pm2's does; {@code jpm stop --watch} turns it off. */
    static List<Instance> toggleWatch(List<Instance> instances, ActionRequest.Watch watch) {
        for (Instance i : instances) {
            if (watch == ActionRequest.Watch.TOGGLE) {
                i.toggleWatch();
            } else if (watch == ActionRequest.Watch.OFF) {
                i.watchOff();
            }
        }
        return instances;
    }
}
