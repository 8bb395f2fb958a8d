package io.jpm.bridge;

import io.jpm.protocol.JpmError;
import io.jpm.verticle.DoorRules;
import io.jpm.verticle.RefusalLog;
import io.jpm.verticle.TokenGuard;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * What a frame through the bridge may do once its guard let it through: its token checked again
 * by {@link TokenGuard} (the guard's {@code ConnectionAuth} decided for the connection; this is the
 * last word before the bus), then stripped; a read-only token's queries marked as such; a refusal
 * told to the client in one {@code err} frame; and the registrations for followed events counted.
 */
final class FrameRules {
    private final TokenGuard guard;
    private final RefusalLog refusals;
    private final FollowerCounts followers;

    FrameRules(TokenGuard guard, RefusalLog refusals, FollowerCounts followers) {
        this.guard = guard;
        this.refusals = refusals;
        this.followers = followers;
    }

    /**
     * Whether {@code frame} (send, publish, register or unregister) goes on to the bus, made ready for
     * it (token stripped, read-only marked); if not, the client was told why through {@code out}.
     */
    boolean admit(JsonObject frame, Object connection, Consumer<Buffer> out) {
        String address = frame.getString("address");
        String type = frame.getString("type", "");
        String unreachable = DoorRules.unreachable(type, address);
        if (unreachable != null) {
            // the bridge protocol's own answer, which clients match (docs/PROTOCOL.md)
            refusals.refused(() -> "bridge: refused " + type + ": " + unreachable);
            out.accept(Frames.err("access_denied"));
            return false;
        }
        JsonObject headers = frame.getJsonObject("headers");
        String token = headers == null ? null : headers.getString("token");
        TokenGuard.Verdict verdict = guard.check(type, address, token);
        if (verdict != TokenGuard.Verdict.ALLOWED) {
            String why =
                    switch (verdict) {
                        case NO_TOKEN -> "no token in headers.token";
                        case WRONG_TOKEN -> "wrong token";
                        default -> "the read-only token may not send " + address;
                    };
            refusals.refused(() -> "bridge: refused " + type + " to " + address + ": " + why);
            out.accept(refusal(frame.getString("replyAddress", address), why));
            return false;
        }
        DoorRules.passOn(frame, guard.isReadOnly(token));
        return true;
    }

    void registered(Object connection, String address) {
        if (DoorRules.counted(address)) {
            followers.registered(connection, address);
        }
    }

    void unregistered(Object connection, String address) {
        if (DoorRules.counted(address)) {
            followers.unregistered(connection, address);
        }
    }

    void closed(Object connection) {
        followers.closed(connection);
    }

    private static Buffer refusal(String address, String why) {
        JsonObject err = new JsonObject()
                .put("type", "err")
                .put("address", address)
                .put("failureCode", JpmError.FORBIDDEN.code())
                .put("failureType", "RECIPIENT_FAILURE")
                .put("message", "access denied: " + why);
        return Frames.of(err);
    }
}
