package io.jpm.bridge;

import io.jpm.protocol.JpmError;
import io.jpm.verticle.ConnectionAuth;
import io.jpm.verticle.FrameShape;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Reads one client connection's frames (the Vert.x TCP event-bus bridge's: docs/PROTOCOL.md) and
 * hands the good ones to its {@link BusSession}. It buffers no frame of an announced length past its
 * limit, answers a frame that is not JSON or of an unknown type with an {@code err} frame that names
 * the problem (the bridge library said nothing, or broke the connection silently), and writes the
 * session's replies and events with back-pressure: a client that does not read its answers stops
 * being read.
 *
 * <p>A connection is unauthenticated until a frame carries a valid token (either). Until then it
 * costs the daemon one descriptor and at most {@link #PRE_AUTH_FRAME_BYTES}: a longer announced
 * length closes it before a byte of the frame is read, pings are answered here, any other frame
 * without a valid token is refused, and it closes after {@code auth_timeout_ms}. Once
 * authenticated, {@link #MAX_FRAME_BYTES} applies, and the connection closes after
 * {@code idle_timeout_ms} of silence unless it follows events ({@link ConnectionClock}).
 * Once authenticated, a frame without a token acts at the connection's level, one with a token is
 * checked on its own ({@link ConnectionAuth}); a refusal is one err frame, sent here. Every frame's
 * token is checked once more before the bus ({@link FrameRules}).
 *
 * <p>About ~300 lines: one connection's frame reader and its pre-auth and post-auth states, a
 * state machine that reads best whole; its clock ({@link ConnectionClock}) stands alone.
 */
final class FrameGuard {
    private static final Logger LOG = Logger.getLogger("jpm.bridge");
    /** A start request carries the client's environment; 4 MiB leaves room and bounds memory. */
    static final int MAX_FRAME_BYTES = 4 * 1024 * 1024;
    /** The largest frame of a connection that has shown no valid token yet: any request fits. */
    static final int PRE_AUTH_FRAME_BYTES = 64 * 1024;

    private static final Buffer PONG = frame(new JsonObject().put("type", "pong"));

    private final NetSocket client;
    private final Door door;
    private final RecordParser parser;
    private final ConnectionClock clock;
    private final ConnectionAuth auth;
    private final Set<String> registered = new HashSet<>();
    /** The connection's side of the bus, which the frames it lets through reach. */
    private final BusSession session;
    /** Read by the verticle's stop from its own event loop. */
    private volatile boolean authenticated;

    private int expected = -1;
    private boolean closing;
    private long timer = -1;

    private FrameGuard(NetSocket client, Door door) {
        this.client = client;
        this.door = door;
        this.parser = RecordParser.newFixed(4, this::onRecord);
        this.clock = new ConnectionClock(door.limits(), System.currentTimeMillis());
        this.auth = door.ownerToken() == null
                ? new ConnectionAuth(door.tokens())
                : ConnectionAuth.owner(door.tokens(), door.ownerToken());
        this.session = new BusSession(door.vertx().eventBus(), door.rules(), this::answer);
    }

    /** Guards a client's connection until it closes; the door is told when it authenticates and when it has closed. */
    static FrameGuard join(NetSocket client, Door door) {
        FrameGuard guard = new FrameGuard(client, door);
        client.handler(guard.parser);
        client.closeHandler(v -> {
            guard.closing = true;
            door.vertx().cancelTimer(guard.timer);
            guard.session.close();
            door.onClosed().accept(client);
        });
        client.exceptionHandler(e -> client.close());
        if (guard.auth.authenticated()) {
            guard.onAuthenticated();
        }
        guard.schedule();
        return guard;
    }

    boolean authenticated() {
        return authenticated;
    }

    private void schedule() {
        timer = door.vertx().setTimer(clock.nextCheckMs(System.currentTimeMillis()), t -> {
            if (closing) {
                return;
            }
            if (System.currentTimeMillis() >= clock.deadline()) {
                refuseAndClose(clock.reason(), JpmError.FORBIDDEN);
            } else {
                schedule();
            }
        });
    }

    private void onRecord(Buffer record) {
        if (closing) {
            return;
        }
        clock.traffic(System.currentTimeMillis());
        if (expected < 0) {
            int length = record.getInt(0);
            int limit = authenticated ? MAX_FRAME_BYTES : PRE_AUTH_FRAME_BYTES;
            if (length <= 0 || length > limit) {
                refuseAndClose(
                        "frame length " + Integer.toUnsignedString(length) + " is outside 1.." + limit
                                + (authenticated ? "" : " before a valid token (docs/PROTOCOL.md)"),
                        JpmError.INVALID_ARGUMENT);
                return;
            }
            expected = length;
            parser.fixedSizeMode(length);
            return;
        }
        expected = -1;
        parser.fixedSizeMode(4);
        JsonObject frame = FrameShape.parse(record);
        String problem = frame == null ? "malformed frame: not a JSON object" : FrameShape.problemWith(frame);
        if (problem != null) {
            refuse(problem, JpmError.INVALID_ARGUMENT, frame == null ? null : frame.getValue("replyAddress"));
            return;
        }
        String type = frame.getString("type");
        if (!admit(frame, type)) {
            return;
        }
        follow(frame, type);
        session.handle(frame);
    }

    /**
     * Whether a well-formed frame goes on to the bus (with its connection's token written into it when
     * it came without one), or stops here. The first frame with a valid token authenticates the
     * connection; a refusal is answered here with one err frame.
     */
    private boolean admit(JsonObject frame, String type) {
        boolean wasAuthenticated = auth.authenticated();
        ConnectionAuth.Outcome outcome = auth.admit(frame);
        if (!wasAuthenticated && auth.authenticated()) {
            onAuthenticated();
        }
        if (outcome instanceof ConnectionAuth.Pass) {
            return true;
        }
        if (outcome instanceof ConnectionAuth.Refuse refuse) {
            // the same line as the bridge's own refusals (FrameRules.check)
            door.refusals()
                    .refused(() -> "bridge: refused " + type + " to " + frame.getString("address") + " from "
                            + client.remoteAddress() + ": " + refuse.why());
            answer(err("access denied: " + refuse.why(), refuse.code(), frame.getValue("replyAddress")));
        } else {
            answer(PONG);
        }
        return false;
    }

    private void onAuthenticated() {
        authenticated = true;
        clock.authenticated();
        door.onAuthenticated().accept(client);
    }

    /** Keeps the clock told of what the connection waits on. */
    private void follow(JsonObject frame, String type) {
        long now = System.currentTimeMillis();
        String address = frame.getString("address");
        if ("register".equals(type)) {
            registered.add(address);
        } else if ("unregister".equals(type)) {
            registered.remove(address);
        } else if ("send".equals(type) && frame.getValue("replyAddress") != null) {
            JsonObject headers = frame.getJsonObject("headers");
            Object timeout = headers == null ? null : headers.getValue("timeout");
            clock.request(now, timeout instanceof Number n ? n.longValue() : ConnectionClock.DEFAULT_SEND_TIMEOUT_MS);
        }
        clock.registrations(registered.size());
    }

    private void refuse(String problem, JpmError code, Object replyAddress) {
        door.refusals().refused(() -> "bridge: " + problem + " from " + client.remoteAddress());
        answer(err(problem, code, replyAddress));
    }

    private static Buffer err(String problem, JpmError code, Object replyAddress) {
        JsonObject err = new JsonObject()
                .put("type", "err")
                .put("failureCode", code.code())
                .put("failureType", "RECIPIENT_FAILURE")
                .put("message", problem);
        if (replyAddress instanceof String address) {
            err.put("address", address);
        }
        return frame(err);
    }

    /**
     * Writes the guard's own answer; a client that does not read its answers stops being read, so
     * refusals cannot pile up in the daemon's memory.
     */
    private void answer(Buffer frame) {
        client.write(frame);
        if (client.writeQueueFull()) {
            client.pause();
            client.drainHandler(v -> client.resume());
        }
    }

    private static Buffer frame(JsonObject json) {
        Buffer bytes = json.toBuffer();
        return Buffer.buffer(4 + bytes.length()).appendInt(bytes.length()).appendBuffer(bytes);
    }

    /** The daemon stops: the connection ends after what was written to it (the apps' last events). */
    void end() {
        closing = true;
        client.handler(b -> {});
        client.end().onComplete(v -> client.close());
    }

    /** A bad length leaves no way to find the next frame (and a timeout ends the talk): answer, then close. */
    void refuseAndClose(String problem, JpmError code) {
        closing = true;
        client.handler(b -> {});
        refuse(problem, code, null);
        client.end().onComplete(v -> client.close());
    }
}
