package io.jpm.verticle;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The daemon's registry of redeployable verticles: deploys each one numbered ({@link Generation}),
 * and replaces a hung one when Satan asks on {@link Addresses#INTERNAL_DAEMON_REDEPLOY}. That
 * request is served on the acceptor's event loop ({@link AcceptorContext}), so it is answered even
 * when the hung verticle holds a loop others share.
 */
public final class Redeployer {
    private static final Logger LOG = Logger.getLogger("jpm.daemon");
    /** How long a redeploy waits for the hung verticle it replaces to be undeployed. */
    private static final long UNDEPLOY_WAIT_MS = 60_000;
    /** How long a fresh verticle has to start before the next generation is tried on another event loop. */
    private static final long FRESH_START_WAIT_MS = 2_000;

    /** A verticle Satan may have redeployed when it stops answering its ping. */
    private record Redeployable(Supplier<? extends Deployable> factory, DeploymentOptions options) {}

    private final Vertx vertx;
    private final int eventLoops;
    private final Map<String, Redeployable> redeployable = new HashMap<>();
    /** The deployment id of the current generation of each verticle, by name. */
    private final Map<String, String> deployments = new ConcurrentHashMap<>();
    /** The generation last deployed of each verticle. */
    private final Map<String, Integer> generations = new ConcurrentHashMap<>();

    /** @param eventLoops the Vert.x event-loop count: how many loops a fresh verticle may have to try */
    public Redeployer(Vertx vertx, int eventLoops) {
        this.vertx = vertx;
        this.eventLoops = eventLoops;
    }

    /** Registers a verticle under its name; call before {@link #deploy}. */
    public void register(String name, Supplier<? extends Deployable> factory, DeploymentOptions options) {
        redeployable.put(name, new Redeployable(factory, options));
    }

    /** Serves Satan's redeploy requests, on the acceptor's event loop ({@link AcceptorContext}). */
    public void serveRequests() {
        AcceptorContext.of(vertx).runOnContext(v -> vertx.eventBus()
                .<JsonObject>localConsumer(Addresses.INTERNAL_DAEMON_REDEPLOY, m -> redeploy(
                                m.body().getString("verticle"))
                        .onSuccess(id -> m.reply(Reply.ok(new JsonObject().put("deployment", id))))
                        .onFailure(e -> Reply.fail(m, e))));
    }

    /**
     * Deploys the next generation of a verticle; the fence goes up first, so the one it replaces,
     * if its thread comes back, already knows it is superseded ({@link Generation}).
     */
    public Future<String> deploy(String name) {
        Redeployable r = redeployable.get(name);
        int generation = generations.merge(name, 1, Integer::sum);
        Generation.declare(vertx, name, generation);
        DeploymentOptions options = new DeploymentOptions(r.options())
                .setConfig(r.options().getConfig().copy().put(Generation.GENERATION, generation));
        return vertx.deployVerticle(r.factory().get(), options).onSuccess(id -> {
            if (generations.get(name) == generation) {
                deployments.put(name, id);
            } else {
                // started too late (its event loop was stuck too): a later generation replaced it
                LOG.info(() -> name + " generation " + generation + " started after it was replaced: undeploying it");
                vertx.undeploy(id);
            }
        });
    }

    /**
     * Deploys a fresh one that starts. Vert.x gives each deployment the next event loop in turn, so a
     * fresh event-loop verticle (the balancer) may land on the very loop the hung one holds, where it
     * cannot start until the hang ends; after {@link #FRESH_START_WAIT_MS} the next generation is
     * deployed, on the next loop (the late one is undeployed once it starts).
     */
    private Future<String> deployStarting(String name, int attemptsLeft) {
        Future<String> fresh = deploy(name);
        if (attemptsLeft <= 1) {
            return fresh;
        }
        Promise<String> started = Promise.promise();
        long timer = vertx.setTimer(FRESH_START_WAIT_MS, t -> {
            if (fresh.isComplete()) {
                started.handle(fresh); // done, its callback not run yet: it finds the timer gone
                return;
            }
            LOG.warning(() -> "fresh " + name + " did not start within " + FRESH_START_WAIT_MS
                    + " ms (its event loop is stuck too): deploying another");
            deployStarting(name, attemptsLeft - 1).onComplete(started);
        });
        fresh.onComplete(ar -> {
            if (vertx.cancelTimer(timer)) {
                started.handle(ar);
            }
        });
        return started.future();
    }

    /**
     * Replaces a hung verticle: the fresh one is deployed at once; the old one is undeployed in the
     * background (its stop can only run once its thread is free again).
     */
    private Future<String> redeploy(String name) {
        if (!redeployable.containsKey(name)) {
            return Future.failedFuture(
                    new JpmException(JpmError.INVALID_ARGUMENT, "no verticle '" + name + "' to redeploy"));
        }
        String old = deployments.remove(name);
        if (old != null) {
            String busy = StuckThreads.busy();
            LOG.warning(() -> "redeploying " + name + " (deployment " + old + ")"
                    + (busy.isEmpty() ? "" : "; the daemon's busy threads:" + busy));
        }
        return deployStarting(name, eventLoops + 1).compose(id -> {
            if (old == null) {
                return Future.succeededFuture(id);
            }
            // answered once the old one is gone (or given up on), so Satan does not ping two at once
            Promise<String> done = Promise.promise();
            long timer = vertx.setTimer(UNDEPLOY_WAIT_MS, t -> {
                LOG.warning(
                        () -> "old " + name + " deployment " + old + " still stuck after " + UNDEPLOY_WAIT_MS + " ms");
                done.tryComplete(id);
            });
            vertx.undeploy(old).onComplete(ar -> {
                vertx.cancelTimer(timer);
                LOG.info(() -> "old " + name + " deployment " + old + " undeployed"
                        + (ar.failed() ? ": " + ar.cause().getMessage() : ""));
                done.tryComplete(id);
            });
            return done.future();
        });
    }
}
