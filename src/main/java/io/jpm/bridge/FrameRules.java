package io.jpm.bridge;

import io.jpm.protocol.JpmError;
import io.jpm.verticle.DoorRules;
import io.jpm.verticle.RefusalLog;
import io.jpm.verticle.TokenGuard;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.eventbus.bridge.tcp.BridgeEvent;

/**
 * What a frame through the bridge may reach: the addresses the bridge permits at all, and for each
 * frame its token (checked by {@link TokenGuard}, then stripped before the bus sees it), a
 * read-only token's queries marked as such, a refusal told to the client in the bridge's own
 * {@code err} frame, and the registrations for followed events counted.
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

    /** The permitted addresses, as {@link DoorRules} declares them for both doors. */
    static BridgeOptions permissions() {
        BridgeOptions options = new BridgeOptions();
        DoorRules.inbound().forEach(options::addInboundPermitted);
        DoorRules.outbound().forEach(options::addOutboundPermitted);
        return options;
    }

    /**
     * A frame the bridge is about to handle: let through (its token stripped) or refused with an
     * {@code err} frame that says why; a registration for followed events counted.
     */
    void check(BridgeEvent event) {
        BridgeEventType type = event.type();
        if (type != BridgeEventType.SEND
                && type != BridgeEventType.PUBLISH
                && type != BridgeEventType.REGISTER
                && type != BridgeEventType.UNREGISTER) {
            event.complete(true);
            return;
        }
        JsonObject raw = event.getRawMessage();
        String address = raw == null ? null : raw.getString("address");
        JsonObject headers = raw == null ? null : raw.getJsonObject("headers");
        String token = headers == null ? null : headers.getString("token");
        String frameType = raw == null ? "" : raw.getString("type", "");
        TokenGuard.Verdict verdict = guard.check(frameType, address, token);
        if (verdict != TokenGuard.Verdict.ALLOWED) {
            String why =
                    switch (verdict) {
                        case NO_TOKEN -> "no token in headers.token";
                        case WRONG_TOKEN -> "wrong token";
                        default -> "the read-only token may not send " + address;
                    };
            refusals.refused(() -> "bridge: refused " + frameType + " to " + address + ": " + why);
            refuse(event, address, raw, why);
            event.complete(false);
            return;
        }
        DoorRules.passOn(raw, guard.isReadOnly(token));
        event.setRawMessage(raw);
        event.complete(true);
        boolean counted = DoorRules.counted(address);
        if (counted && type == BridgeEventType.REGISTER) {
            followers.registered(event.socket(), address);
        } else if (counted && type == BridgeEventType.UNREGISTER) {
            followers.unregistered(event.socket(), address);
        }
    }

    /** Tells the client why, in the bridge's own error frame, before the bridge drops the frame. */
    private static void refuse(BridgeEvent event, String address, JsonObject raw, String why) {
        JsonObject err = new JsonObject()
                .put("type", "err")
                .put("address", raw == null ? null : raw.getString("replyAddress", address))
                .put("failureCode", JpmError.FORBIDDEN.code())
                .put("failureType", "RECIPIENT_FAILURE")
                .put("message", "access denied: " + why);
        Buffer json = err.toBuffer();
        event.socket().write(Buffer.buffer().appendInt(json.length()).appendBuffer(json));
    }
}
