package io.jpm.verticle;

import io.jpm.protocol.JpmError;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which deployment of a redeployable verticle is the current one. The daemon numbers each
 * deployment of a verticle (config key {@code "generation"}, 1 for the first) and records the
 * current number in a local map before it deploys a fresh one, so the fence is up before the
 * fresh one exists: a superseded deployment whose thread comes back ({@link #current()} false)
 * must change nothing on its own initiative (timers, file scans, events).
 *
 * <p>The bus still hands a stuck deployment its share of the messages sent to its addresses until
 * it is undeployed, which can only happen once its thread is free (Vert.x runs the undeploy on
 * it). Consumers registered here also listen on a private alias
 * {@code jpm.internal.generation.<generation>.<address>}; when a superseded deployment gets a
 * message it forwards it to its successor's alias (the reply or failure relayed to the sender),
 * so nothing is lost nor applied to state about to be thrown away. Published messages (events)
 * are dropped there: the successor got its own copy.
 */
public final class Generation {
    /** Deployment config key: this deployment's number, 1 for the first. */
    public static final String GENERATION = "generation";
    /** Prefix of the aliases a superseded deployment forwards to; never crosses the bridge. */
    public static final String ALIAS_PREFIX = "jpm.internal.generation.";

    private static final String MAP = "jpm.generation";
    /** The sender's own deadline governs; this only bounds a forward nobody waits for any more. */
    private static final long FORWARD_TIMEOUT_MS = 180_000;

    private final Vertx vertx;
    private final String name;
    private final int generation;
    /** Every consumer registered through this deployment's thisGeneration, for {@link #silence()}. */
    private final List<MessageConsumer<?>> consumers = new CopyOnWriteArrayList<>();

    private Generation(Vertx vertx, String name, int generation) {
        this.vertx = vertx;
        this.name = name;
        this.generation = generation;
    }

    /** The thisGeneration of verticle {@code name} as its deployment config says. */
    public static Generation of(Vertx vertx, String name, JsonObject config) {
        return new Generation(vertx, name, config.getInteger(GENERATION, 1));
    }

    /** The daemon, before deploying generation {@code generation} of {@code name}: fences the ones before. */
    public static void declare(Vertx vertx, String name, int generation) {
        map(vertx).put(name, generation);
    }

    private static LocalMap<String, Integer> map(Vertx vertx) {
        return vertx.sharedData().getLocalMap(MAP);
    }

    /** This deployment is the newest one (true in a daemon that never declared one: tests). */
    public boolean current() {
        Integer newest = map(vertx).get(name);
        return newest == null || newest == generation;
    }

    /** A fresh deployment that replaces a hung one: it rebuilds its state from the others. */
    public boolean redeployed() {
        return generation > 1;
    }

    public int generation() {
        return generation;
    }

    /**
     * As {@link #localConsumer}: every jpm address is this daemon's own, also when daemons share a
     * clustered bus (see {@link LocalBus}); the name stays for the verticles that call it.
     */
    public <T> void consumer(String address, Handler<Message<T>> handler) {
        localConsumer(address, handler);
    }

    /** {@link io.vertx.core.eventbus.EventBus#localConsumer}, with the fence and the forwarding described above. */
    public <T> void localConsumer(String address, Handler<Message<T>> handler) {
        consumers.add(vertx.eventBus().<T>localConsumer(address, fenced(address, handler)));
        consumers.add(vertx.eventBus().<T>localConsumer(alias(generation, address), fenced(address, handler)));
    }

    /**
     * Takes this (superseded) deployment's consumers off the bus, from any thread: the bus stops
     * handing it a share of the messages, which otherwise wait for its thread to come back (the
     * right wait for a verticle the daemon can do without for a while, not for God, which answers
     * every command). The consumers leave the bus's table at once; messages already queued for the
     * stuck thread stay queued, and once it comes back are forwarded as above or, when Vert.x closes
     * the consumer first, dropped (their senders time out).
     */
    public void silence() {
        consumers.forEach(MessageConsumer::unregister);
        consumers.clear();
    }

    /**
     * A request to the newest deployment's alias of {@code address}: how a superseded deployment
     * waits for its successor (the balancer's ports must be listened on again before it lets go).
     */
    public <T> Future<Message<T>> requestNewest(String address, Object body, long timeoutMs) {
        Integer newest = map(vertx).get(name);
        return vertx.eventBus()
                .request(
                        alias(newest == null ? generation : newest, address),
                        body,
                        new DeliveryOptions().setSendTimeout(timeoutMs));
    }

    /**
     * A read of another verticle's state that a redeploy of that verticle may interrupt: a request
     * the hung deployment was handed is discarded once its thread comes back (a TIMEOUT failure, as
     * is a request it never answers), so it is asked again, of the fresh deployment, up to
     * {@code attempts} times in all. For idempotent reads only.
     */
    public static <T> Future<Message<T>> requestRead(Vertx vertx, String address, Object body, int attempts) {
        return vertx.eventBus().<T>request(address, body).recover(err -> {
            boolean timedOut = err instanceof ReplyException e && e.failureType() == ReplyFailure.TIMEOUT;
            return timedOut && attempts > 1
                    ? requestRead(vertx, address, body, attempts - 1)
                    : Future.failedFuture(err);
        });
    }

    static String alias(int generation, String address) {
        return ALIAS_PREFIX + generation + "." + address;
    }

    private <T> Handler<Message<T>> fenced(String address, Handler<Message<T>> handler) {
        return message -> {
            Integer newest = map(vertx).get(name);
            if (newest == null || newest == generation) {
                handler.handle(message);
            } else if (message.isSend()) {
                forward(alias(newest, address), message);
            }
        };
    }

    private <T> void forward(String to, Message<T> message) {
        DeliveryOptions options =
                new DeliveryOptions().setHeaders(message.headers()).setSendTimeout(FORWARD_TIMEOUT_MS);
        if (message.replyAddress() == null) {
            vertx.eventBus().send(to, message.body(), options);
            return;
        }
        vertx.eventBus().request(to, message.body(), options).onComplete(ar -> {
            if (ar.succeeded()) {
                message.reply(
                        ar.result().body(),
                        new DeliveryOptions().setHeaders(ar.result().headers()));
            } else if (ar.cause() instanceof ReplyException e) {
                message.fail(e.failureCode(), e.getMessage());
            } else {
                message.fail(JpmError.INTERNAL.code(), String.valueOf(ar.cause().getMessage()));
            }
        });
    }
}
