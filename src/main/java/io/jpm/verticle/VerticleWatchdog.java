package io.jpm.verticle;

import io.jpm.config.SatanSettings;
import io.jpm.protocol.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Pings the daemon's verticles over the bus with a deadline. A verticle that is not deployed (no
 * handler: the balancer of a daemon without one) is skipped; one that does not answer in time is
 * hung: logged, then redeployed by the daemon's main class. Each fresh one rebuilds its state
 * (the hung one is fenced off meanwhile, see {@link io.jpm.verticle.Generation}): the LogAggregator
 * reopens files as lines come; the balancer asks God for its balanced apps and their running
 * instances, opens the public ports again and puts each instance back in rotation; the config
 * watcher asks God which ecosystem files its apps came from and watches them and the settings
 * file again; persistence dumps God's table at once.
 *
 * <p>God is redeployed too: the fresh God copies the hung one's table and takes its processes over
 * from the SpawnedChildren they share (io.jpm.god.Takeover): running children are adopted with their
 * pids, an exit the hung God never saw goes through the restart policy, and the hung one is fenced
 * from the outside world (spawns, signals, events, the balancer) in case its thread comes back.
 * An answer that comes late is reported as a stall of that verticle's thread.
 */
public final class VerticleWatchdog {
    private static final Logger LOG = Logger.getLogger("jpm.satan");

    /** The state of one watched verticle, as {@code jpm ping} shows it. */
    enum Status {
        UNKNOWN,
        ANSWERING,
        ABSENT,
        HUNG,
        REDEPLOYING
    }

    /** Beyond the daemon's own 60 s wait for the old deployment to go. */
    private static final long REDEPLOY_TIMEOUT_MS = 90_000;

    private record Watched(String name, String address) {}

    private final Vertx vertx;
    private final Map<String, Watched> watched = new LinkedHashMap<>();
    /** Written on the watchdog's thread, read by Satan's ping answer: guarded by this. */
    private final Map<String, JsonObject> last = new LinkedHashMap<>();

    private final Map<String, Status> status = new ConcurrentHashMap<>();
    /**
     * The pings run off the verticles' loops ({@link AcceptorContext}): a verticle that stalls its
     * event loop stalls every other context on that loop, Satan's own when they share it (two loops
     * on a two-core machine), and a ping whose deadline runs on the stuck loop can never time out.
     */
    private final ContextInternal context;

    private long pingTimer = -1;

    public VerticleWatchdog(Vertx vertx) {
        this.vertx = vertx;
        this.context = AcceptorContext.of(vertx);
        add(new Watched("god", Addresses.INTERNAL_GOD_PING));
        add(new Watched("logs", Addresses.INTERNAL_LOGS_PING));
        add(new Watched("balancer", Addresses.INTERNAL_BALANCER_PING));
        add(new Watched("config", Addresses.INTERNAL_CONFIG_PING));
        add(new Watched("persist", Addresses.INTERNAL_PERSIST_PING));
    }

    private void add(Watched w) {
        watched.put(w.name, w);
        status.put(w.name, Status.UNKNOWN);
        last.put(w.name, new JsonObject().put("status", "unknown"));
    }

    /**
     * Pings every verticle now, then every ping interval, on the watchdog's thread; a call with new
     * settings replaces the schedule. Completes when the first round is over.
     */
    public Future<Void> schedule(SatanSettings settings) {
        Promise<Void> first = Promise.promise();
        context.runOnContext(v -> {
            if (pingTimer >= 0) {
                vertx.cancelTimer(pingTimer);
            }
            pingTimer = vertx.setPeriodic(settings.pingIntervalMs(), t -> pingAll(settings, true));
            // the first round only tells: at the daemon's start a verticle on a loaded machine (its JIT
            // cold, a full test run beside it) answered in 2.3 s and was redeployed for it, its stuck
            // threads' dump filling daemon.log (LogsIT, in CI); a real hang is still there next round
            pingAll(settings, false).onComplete(first);
        });
        return first.future();
    }

    public void close() {
        context.runOnContext(v -> vertx.cancelTimer(pingTimer));
    }

    /**
     * Pings every verticle once, one after another; completes when all have answered, failed or
     * timed out. In turn, not at once: three of them are worker verticles, and three pings at one
     * instant took three worker threads every round, which then never lived long enough idle to end
     * (issue 31: threads). A hung one delays the next ping by the timeout, no more.
     */
    private Future<Void> pingAll(SatanSettings settings, boolean redeployIfHung) {
        Future<Void> round = Future.succeededFuture();
        for (Watched w : watched.values()) {
            round = round.transform(ar -> ping(w, settings, redeployIfHung));
        }
        return round;
    }

    /**
     * @param redeployIfHung false for a first ping (the schedule's first round, a fresh one after its
     *     redeploy): a failure waits for the next round
     */
    private Future<Void> ping(Watched w, SatanSettings settings, boolean redeployIfHung) {
        if (status.get(w.name) == Status.REDEPLOYING) {
            return Future.succeededFuture();
        }
        long sent = System.nanoTime();
        return vertx.eventBus()
                .request(w.address, new JsonObject(), new DeliveryOptions().setSendTimeout(settings.pingTimeoutMs()))
                .map(reply -> {
                    double latency = (System.nanoTime() - sent) / 1e6;
                    if (status.get(w.name) != Status.ANSWERING) {
                        LOG.info(() -> String.format("%s answers its ping (%.2f ms)", w.name, latency));
                    }
                    if (latency > settings.stallWarningMs()) {
                        LOG.warning(() -> String.format(
                                "%s stalled: its ping took %.0f ms (warning above %d ms)",
                                w.name, latency, settings.stallWarningMs()));
                    }
                    record(w, Status.ANSWERING, latency, null);
                    return (Void) null;
                })
                .recover(err -> {
                    if (err instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS) {
                        record(w, Status.ABSENT, null, null);
                        return Future.succeededFuture();
                    }
                    record(w, Status.HUNG, null, err.getMessage());
                    if (!redeployIfHung) {
                        LOG.warning(() -> w.name + " did not answer its first ping (" + err.getMessage()
                                + "): the next round decides");
                        return Future.succeededFuture();
                    }
                    // logged at every failed ping: a verticle that stops answering is the daemon's worst state
                    LOG.warning(() -> w.name + " did not answer its ping within " + settings.pingTimeoutMs() + " ms: "
                            + err.getMessage() + "; redeploying it");
                    // the fresh one is pinged at once, so `jpm ping` shows it answering without waiting a period
                    return redeploy(w)
                            .compose(redeployed -> redeployed ? ping(w, settings, false) : Future.succeededFuture());
                });
    }

    /** Completes with true once the daemon has deployed a fresh one, false when it could not. */
    private Future<Boolean> redeploy(Watched w) {
        status.put(w.name, Status.REDEPLOYING);
        // the daemon answers once the hung deployment is gone, which may take as long as the hang
        return vertx.eventBus()
                .<JsonObject>request(
                        Addresses.INTERNAL_DAEMON_REDEPLOY,
                        new JsonObject().put("verticle", w.name),
                        new DeliveryOptions().setSendTimeout(REDEPLOY_TIMEOUT_MS))
                .map(reply -> {
                    LOG.warning(() -> "redeployed " + w.name + ": deployment "
                            + reply.body().getJsonObject("data").getString("deployment"));
                    record(w, Status.UNKNOWN, null, null);
                    return true;
                })
                .recover(err -> {
                    LOG.warning(() -> "cannot redeploy " + w.name + ": " + err.getMessage());
                    record(w, Status.HUNG, null, err.getMessage());
                    return Future.succeededFuture(false);
                });
    }

    private synchronized void record(Watched w, Status s, Double latencyMs, String error) {
        status.put(w.name, s);
        JsonObject json = new JsonObject()
                .put("status", s.name().toLowerCase(Locale.ROOT))
                .put("at", System.currentTimeMillis());
        if (latencyMs != null) {
            json.put("latencyMs", Math.round(latencyMs * 100) / 100.0);
        }
        if (error != null) {
            json.put("error", error);
        }
        last.put(w.name, json);
    }

    /** {"god":{"status":"answering","latencyMs":0.4,"at":..}, "logs":{...}, "balancer":{"status":"absent"}}. */
    public synchronized JsonObject report() {
        JsonObject json = new JsonObject();
        last.forEach((name, value) -> json.put(name, value.copy()));
        return json;
    }

    /** God's last ping in the shape {@code jpm ping} has always shown. */
    public synchronized JsonObject god() {
        JsonObject g = last.get("god");
        return new JsonObject()
                .put("ok", "answering".equals(g.getString("status")))
                .put("at", g.getLong("at", 0L))
                .put("latencyMs", g.getValue("latencyMs"))
                .put("error", g.getString("error"));
    }
}
