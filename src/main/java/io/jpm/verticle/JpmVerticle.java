package io.jpm.verticle;

import io.jpm.protocol.JpmException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The base of the daemon's verticles that serve commands and queries (God, the LogAggregator, the
 * balancer, the config watcher, persistence): the reply envelope of every address it serves, the
 * action's result in {@link Reply#ok}, its failure (a {@link JpmException} with its code, anything
 * else as internal) in {@link Reply#fail}.
 */
public abstract class JpmVerticle extends VerticleBase {
    private static final Logger LOG = Logger.getLogger("jpm.verticle");

    /**
     * Serves an address: the action's result is the reply's data, its failure the reply's error.
     * Local to this daemon like every jpm address ({@link LocalBus}): another host reaches it only
     * through the cluster's per-host forwarders.
     */
    protected final void handle(String address, Function<JsonObject, Future<?>> action) {
        handleLocal(address, action);
    }

    /**
     * As {@link #handle}, for a reply built fresh for each request and never touched after: handed to
     * the door by reference ({@link FreshJsonCodec}), not copied (a list of 1,000 apps is ~5 MB).
     */
    protected final void handleFresh(String address, Function<JsonObject, Future<?>> action) {
        vertx.eventBus()
                .<JsonObject>localConsumer(
                        address, message -> serve(message, bodyOf(message), action, Reply::ok, FreshJsonCodec.OPTIONS));
    }

    /**
     * As {@link #handleFresh}, for a reply that may hold {@link PartlyEncoded} parts: the action is
     * told whether the request asked for them ({@link PartlyEncoded#HEADER}: the bridge's requests,
     * whose replies only the bridge encodes).
     */
    protected final void handleFreshPartly(String address, BiFunction<JsonObject, Boolean, Future<?>> action) {
        vertx.eventBus().<JsonObject>localConsumer(address, message -> {
            boolean partly = message.headers().contains(PartlyEncoded.HEADER);
            serve(message, bodyOf(message), body -> action.apply(body, partly), Reply::ok, FreshJsonCodec.OPTIONS);
        });
    }

    /** As {@link #handle}, for an address only this daemon sends to. */
    protected final void handleLocal(String address, Function<JsonObject, Future<?>> action) {
        vertx.eventBus()
                .<JsonObject>localConsumer(address, message -> serve(message, bodyOf(message), action, Reply::ok));
    }

    /**
     * As {@link #handleLocal}, for an internal address whose request is a protocol record handed over
     * by reference ({@link LocalRecordCodec}); the reply is the usual envelope.
     */
    protected final <T extends Record> void handleRecord(String address, Function<T, Future<?>> action) {
        vertx.eventBus().<T>localConsumer(address, message -> serve(message, message.body(), action, Reply::ok));
    }

    /**
     * As {@link #handleLocal}, for an internal address whose reply is a protocol record itself, by
     * reference ({@link LocalRecordCodec}), not in the envelope; a failure is the usual one.
     */
    protected final void answerWithRecord(String address, Function<JsonObject, Future<? extends Record>> action) {
        vertx.eventBus()
                .<JsonObject>localConsumer(
                        address, message -> serve(message, bodyOf(message), action, record -> record));
    }

    private static JsonObject bodyOf(Message<JsonObject> message) {
        return message.body() == null ? new JsonObject() : message.body();
    }

    private static <T> void serve(
            Message<?> message, T body, Function<T, ? extends Future<?>> action, Function<Object, Object> replyOf) {
        serve(message, body, action, replyOf, new DeliveryOptions());
    }

    private static <T> void serve(
            Message<?> message,
            T body,
            Function<T, ? extends Future<?>> action,
            Function<Object, Object> replyOf,
            DeliveryOptions options) {
        Future<?> result;
        try {
            result = action.apply(body);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onComplete(ar -> {
            if (ar.succeeded()) {
                message.reply(replyOf.apply(ar.result()), options);
                return;
            }
            if (!(ar.cause() instanceof JpmException)) {
                LOG.warning(() -> message.address() + " failed: " + ar.cause());
            }
            Reply.fail(message, ar.cause());
        });
    }
}
