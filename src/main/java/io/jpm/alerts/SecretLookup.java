package io.jpm.alerts;

import io.jpm.protocol.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The apps' secrets ({@link EnvSecrets}) from God's list, asked again when older than
 * {@link #FRESH_MS} or when an app it does not know throws (one started since): a throwing loop costs
 * one list per period, not one per exception. Requests that come while one is asked wait for it, in
 * their order. The alerts verticle's event loop only.
 */
final class SecretLookup {
    static final long FRESH_MS = 5_000;
    private final Vertx vertx;
    private EnvSecrets known = EnvSecrets.of(new JsonArray());
    private long askedAt = Long.MIN_VALUE / 2;
    private Future<EnvSecrets> asking;

    SecretLookup(Vertx vertx) {
        this.vertx = vertx;
    }

    /** The secrets, with {@code app}'s among them once God lists it; the last known when God does not answer. */
    Future<EnvSecrets> of(String app, long now) {
        if (asking != null) {
            return asking;
        }
        if (now - askedAt < FRESH_MS && known.knows(app)) {
            return Future.succeededFuture(known);
        }
        askedAt = now;
        asking = vertx.eventBus()
                .<JsonObject>request(Addresses.QUERY_LIST, new JsonObject())
                .map(reply -> EnvSecrets.of(reply.body().getJsonArray("data", new JsonArray())))
                .otherwise(e -> known)
                .onSuccess(secrets -> {
                    known = secrets;
                    asking = null;
                });
        return asking;
    }
}
