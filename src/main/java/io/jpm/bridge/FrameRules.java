package io.jpm.bridge;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.verticle.RefusalLog;
import io.jpm.verticle.TokenGuard;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
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

    /** Commands and queries in, events out, on this host and (a clustered daemon) on the others. */
    static BridgeOptions permissions() {
        return new BridgeOptions()
                .addInboundPermitted(new PermittedOptions().setAddressRegex("jpm\\.cmd\\.[A-Za-z]+"))
                .addInboundPermitted(new PermittedOptions().setAddressRegex("jpm\\.query\\.[A-Za-z]+"))
                // a clustered daemon's per-host addresses (docs/CLUSTER.md); TokenGuard keeps their commands for admin
                .addInboundPermitted(
                        new PermittedOptions().setAddressRegex("jpm\\.host\\.[A-Za-z0-9_-]+\\.(cmd|query)\\.[A-Za-z]+"))
                .addOutboundPermitted(new PermittedOptions().setAddressRegex("jpm\\.events\\.[A-Za-z]+"))
                // another host's events (jpm logs api@web-2, jpm events --all), relayed by its cluster package
                .addOutboundPermitted(
                        new PermittedOptions().setAddressRegex("jpm\\.host\\.[A-Za-z0-9_-]+\\.events\\.[A-Za-z]+"));
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
        headers.remove("token");
        if (type == BridgeEventType.SEND && isQuery(address) && guard.isReadOnly(token)) {
            // what God may show this token: it sees env names, not their values (io.jpm.protocol.Access)
            raw.put("body", TokenGuard.markReadOnly(raw.getValue("body")));
        }
        event.setRawMessage(raw);
        event.complete(true);
        boolean counted = address != null
                && (Addresses.EVENTS_LOG.equals(address)
                        || Addresses.hostOf(address) != null
                                && Addresses.localOf(address).startsWith(Addresses.EVENTS_PREFIX));
        if (counted && type == BridgeEventType.REGISTER) {
            followers.registered(event.socket(), address);
        } else if (counted && type == BridgeEventType.UNREGISTER) {
            followers.unregistered(event.socket(), address);
        }
    }

    /** {@code jpm.query.*}, or another host's {@code jpm.host.<node>.query.*}. */
    private static boolean isQuery(String address) {
        return address != null && Addresses.localOf(address).startsWith(Addresses.QUERY_PREFIX);
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
