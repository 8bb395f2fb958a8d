package io.jpm.verticle;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/** The one reply envelope: {@code {"ok":true,"data":...}} or a failure code and text. */
public final class Reply {
    private Reply() {}

    public static JsonObject ok(Object data) {
        return new JsonObject().put("ok", true).put("data", data);
    }

    /** HttpReplies a request with the failure the throwable stands for. */
    public static void fail(Message<?> message, Throwable cause) {
        if (cause instanceof JpmException e) {
            message.fail(e.error().code(), e.getMessage());
        } else if (cause instanceof ReplyException e && e.failureCode() > 0) {
            message.fail(e.failureCode(), e.getMessage());
        } else {
            message.fail(JpmError.INTERNAL.code(), "internal error: " + cause);
        }
    }
}
