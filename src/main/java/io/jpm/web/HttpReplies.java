package io.jpm.web;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The HTTP side of the bridge's reply envelope: {@code {"ok":true,"data":..}} with 200, or
 * {@code {"ok":false,"code":11,"error":"UNKNOWN_TARGET","message":".."}} with the status the code
 * stands for. The message is the daemon's, the one the CLI prints.
 */
final class HttpReplies {
    private HttpReplies() {}

    static void ok(RoutingContext ctx, Object data) {
        json(ctx, 200, new JsonObject().put("ok", true).put("data", data));
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json");
        end(ctx, Buffer.buffer(body.encode()));
    }

    /**
     * Ends the answer with {@code body}, its length said: Vert.x sends a HEAD's answer without the
     * body and, unless told, without its length ({@link HeadRequests}).
     */
    static void end(RoutingContext ctx, Buffer body) {
        ctx.response()
                .putHeader("Content-Length", Integer.toString(body.length()))
                .end(body);
    }

    static void fail(RoutingContext ctx, JpmError error, String message) {
        json(
                ctx,
                status(error),
                new JsonObject()
                        .put("ok", false)
                        .put("code", error.code())
                        .put("error", error.name())
                        .put("message", message));
    }

    /** A failed bus request or a refused request body, answered with its code and message. */
    static void fail(RoutingContext ctx, Throwable cause) {
        if (cause instanceof JpmException e) {
            fail(ctx, e.error(), e.getMessage());
        } else if (cause instanceof ReplyException e && e.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            fail(ctx, JpmError.fromCode(e.failureCode()), e.getMessage());
        } else if (cause instanceof ReplyException e) {
            // no handler or no answer in time: the CLI's UNAVAILABLE (the command may still complete)
            fail(
                    ctx,
                    JpmError.UNAVAILABLE,
                    "the daemon did not answer: " + e.failureType().name().toLowerCase() + " (" + e.getMessage() + ")");
        } else {
            fail(ctx, JpmError.INTERNAL, "internal error: " + cause);
        }
    }

    /** The HTTP status of a jpm failure code. */
    static int status(JpmError error) {
        return switch (error) {
            case INVALID_ARGUMENT, INVALID_CONFIG -> 400;
            case UNKNOWN_TARGET, SCRIPT_NOT_FOUND -> 404;
            case ALREADY_LAUNCHED -> 409;
            case FORBIDDEN -> 403;
            case UNAVAILABLE -> 503;
            case DISK_FULL -> 507;
            case SPAWN_FAILED, INTERNAL -> 500;
        };
    }
}
