package io.jpm.web;

import io.jpm.config.DoorLimits;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.verticle.ConnectionAuth;
import io.jpm.verticle.ConnectionCap;
import io.jpm.verticle.DoorRules;
import io.jpm.verticle.FrameShape;
import io.jpm.verticle.LocalBus;
import io.jpm.verticle.RefusalLog;
import io.jpm.verticle.TokenGuard;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.Transport;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The door of browsers and JS clients: vertx-web's SockJS event-bus bridge at {@code /eventbus},
 * so the stock clients ({@code vertx3-eventbus-client}, {@code @vertx/eventbus-bridge-client.js})
 * work unmodified. It permits what the TCP bridge permits ({@link DoorRules}), with the same tokens
 * ({@link TokenGuard}) held the same way ({@link ConnectionAuth}): a session is authenticated for its
 * life by the first frame whose {@code headers.token} is valid, or from its start by its handshake's
 * {@code Authorization: Bearer} (Node clients can set it, browsers cannot); never by its URL.
 *
 * <p>WebSocket only: SockJS's other transports read a POST body before any token could be seen
 * (XHR), or exist to be driven across origins (JSONP, htmlfile); a WebSocket frame is at most 64 KiB
 * (the server's default limit; a larger one ends the session), as a TCP bridge frame before its token. A session costs the daemon its WebSocket and no bus consumer until
 * it authenticates, and is closed after {@code auth_timeout_ms} (5 s) without a valid token. A
 * refusal is one {@code err} frame naming why (addressed to the request's reply address, or to the
 * address a register named, so a stock client's callback hears it) and changes nothing.
 *
 * <p>Origin: a request that carries an {@code Origin} header other than the server's own (scheme
 * and Host of the request) is refused 403 before SockJS sees it, so a page on another site cannot
 * drive the daemon through a user's browser; clients that send no Origin (Node, curl) pass on to
 * the token check. No CORS header is sent for another origin, as on every other route.
 */
final class EventBusDoor {
    static final String PATH = "/eventbus";

    private final Vertx vertx;
    private final TokenGuard guard;
    private final DoorLimits limits;
    private final RefusalLog refusals;
    private final ConnectionCap<HttpConnection> cap;
    private final EventStreams streams;
    private final Map<SockJSSocket, Session> sessions = new HashMap<>();
    /** This door's sessions that follow each of another host's event addresses. */
    private final Map<String, Integer> hostFollowers = new HashMap<>();

    /** One SockJS session: its authentication, its auth timer, and the counted addresses it follows. */
    private static final class Session {
        final ConnectionAuth auth;
        final Set<String> counted = new HashSet<>();
        long timer = -1;

        Session(ConnectionAuth auth) {
            this.auth = auth;
        }
    }

    EventBusDoor(
            Vertx vertx,
            TokenGuard guard,
            DoorLimits limits,
            RefusalLog refusals,
            ConnectionCap<HttpConnection> cap,
            EventStreams streams) {
        this.vertx = vertx;
        this.guard = guard;
        this.limits = limits;
        this.refusals = refusals;
        this.cap = cap;
        this.streams = streams;
    }

    void mount(Router router) {
        SockJSHandlerOptions options = new SockJSHandlerOptions().setInsertJSESSIONID(false);
        for (Transport transport : Transport.values()) {
            if (transport != Transport.WEBSOCKET) {
                options.addDisabledTransport(transport.toString());
            }
        }
        SockJSBridgeOptions bridge = new SockJSBridgeOptions().setReplyTimeout(BusCall.COMMAND_TIMEOUT_MS);
        DoorRules.inbound().forEach(bridge::addInboundPermitted);
        DoorRules.outbound().forEach(bridge::addOutboundPermitted);
        router.route(PATH + "/*").handler(this::handshake);
        router.route(PATH + "/*").subRouter(SockJSHandler.create(vertx, options).bridge(bridge, this::onEvent));
    }

    /** Before SockJS: a foreign Origin, or a wrong token in the Authorization header, stops here. */
    private void handshake(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        if (origin != null && !SameOrigin.of(origin, ctx.request())) {
            refuseRequest(ctx, 403, "Origin " + origin + " is not this server's");
            return;
        }
        String token = HttpTokenRules.bearer(ctx.request());
        if (ctx.request().getHeader("Authorization") != null && (token == null || !guard.knows(token))) {
            refuseRequest(ctx, 401, token == null ? "no token in Authorization: Bearer" : "wrong token");
            return;
        }
        ctx.next();
    }

    private void refuseRequest(RoutingContext ctx, int status, String why) {
        refusals.refused(() -> "web: refused " + ctx.request().method() + " "
                + ctx.request().path() + " from " + ctx.request().remoteAddress() + ": " + why);
        HttpReplies.json(
                ctx,
                status,
                new JsonObject()
                        .put("ok", false)
                        .put("code", JpmError.FORBIDDEN.code())
                        .put("error", JpmError.FORBIDDEN.name())
                        .put("message", "access denied: " + why));
    }

    private void onEvent(BridgeEvent event) {
        SockJSSocket socket = event.socket();
        switch (event.type()) {
            case SOCKET_CREATED -> opened(socket);
            case SOCKET_CLOSED -> closed(socket);
            case SOCKET_ERROR -> {
                // the bridge has dropped the session's registrations; its close does the rest here
                socket.close();
            }
            case SEND, PUBLISH, REGISTER, UNREGISTER -> {
                Session session = sessions.get(socket);
                if (session != null) {
                    frame(event, socket, session);
                } else {
                    // no session, no frame: only the bridge's own clean-up of a closed one passes
                    event.complete(event.type() == BridgeEventType.UNREGISTER);
                }
                return;
            }
            default -> {}
        }
        event.complete(true);
    }

    private void opened(SockJSSocket socket) {
        // the handshake passed only a valid token here, or none
        Session session = new Session(ConnectionAuth.shown(guard, HttpTokenRules.bearer(socket.headers())));
        sessions.put(socket, session);
        if (session.auth.authenticated()) {
            authenticated(socket);
            return;
        }
        session.timer = vertx.setTimer(limits.authTimeoutMs(), t -> {
            if (sessions.containsKey(socket) && !session.auth.authenticated()) {
                String why = "no valid token in headers.token within " + limits.authTimeoutMs() + " ms";
                refusals.refused(() -> "web: closed " + PATH + " session from " + socket.remoteAddress() + ": " + why);
                socket.write(
                        err("access denied: " + why, JpmError.FORBIDDEN, null).encode());
                socket.close();
            }
        });
    }

    private void authenticated(SockJSSocket socket) {
        if (socket.routingContext() != null) {
            cap.authenticated(socket.routingContext().request().connection());
        }
    }

    private void closed(SockJSSocket socket) {
        Session session = sessions.remove(socket);
        if (session != null) {
            vertx.cancelTimer(session.timer);
            session.counted.forEach(address -> followers(address, -1));
        }
    }

    /**
     * A client's frame: refused with one err frame, or passed on with its token stripped. A refused
     * frame's event is left uncompleted on purpose: completed false, the bridge would send an err
     * frame of its own ("rejected", with no address), a second answer to one frame.
     */
    private void frame(BridgeEvent event, SockJSSocket socket, Session session) {
        JsonObject frame = event.getRawMessage();
        String type = frame.getString("type");
        String address = frame.getString("address");
        String problem = FrameShape.problemWith(frame);
        if (problem != null) {
            refuse(socket, frame, problem, JpmError.INVALID_ARGUMENT);
            return;
        }
        // the token first, as on the TCP bridge: a frame with a valid one authenticates the session
        // even when its address is then refused
        boolean wasAuthenticated = session.auth.authenticated();
        ConnectionAuth.Outcome outcome = session.auth.admit(frame);
        if (!wasAuthenticated && session.auth.authenticated()) {
            vertx.cancelTimer(session.timer);
            authenticated(socket);
        }
        if (outcome instanceof ConnectionAuth.Refuse refuse) {
            refuse(socket, frame, "access denied: " + refuse.why(), refuse.code());
            return;
        }
        String unreachable = DoorRules.unreachable(type, address);
        if (unreachable != null) {
            refuse(socket, frame, "access denied: " + unreachable, JpmError.FORBIDDEN);
            return;
        }
        String token = frame.getJsonObject("headers").getString("token");
        DoorRules.passOn(frame, guard.isReadOnly(token));
        event.setRawMessage(frame);
        follow(session, type, address);
        event.complete(true);
    }

    /**
     * Live log lines are built only while someone follows them, and another host's events relayed
     * only while someone follows them: this door's followers are counted with the event streams'
     * (log lines) and told to the cluster as the "web" door's (the bridge tells its own).
     */
    private void follow(Session session, String type, String address) {
        if (!DoorRules.counted(address)) {
            return;
        }
        if ("register".equals(type) && session.counted.add(address)) {
            followers(address, 1);
        } else if ("unregister".equals(type) && session.counted.remove(address)) {
            followers(address, -1);
        }
    }

    private void followers(String address, int delta) {
        if (Addresses.EVENTS_LOG.equals(address)) {
            streams.countLogListener(delta);
            return;
        }
        if (Addresses.EVENTS_METRICS.equals(address)) {
            streams.countMetricsFollower(delta);
            return;
        }
        int count = hostFollowers.merge(address, delta, Integer::sum);
        if (count <= 0) {
            hostFollowers.remove(address);
        }
        vertx.eventBus()
                .publish(
                        Addresses.INTERNAL_CLUSTER_FOLLOWS,
                        new JsonObject()
                                .put("address", address)
                                .put("count", Math.max(count, 0))
                                .put("source", "web"),
                        LocalBus.only());
    }

    private void refuse(SockJSSocket socket, JsonObject frame, String problem, JpmError code) {
        String type = frame.getString("type");
        refusals.refused(() -> "web: refused " + type + " to " + frame.getString("address") + " on " + PATH + " from "
                + socket.remoteAddress() + ": " + problem);
        // a send's reply handler, or a register's handler, hears the refusal in a stock client
        Object to = "send".equals(type) ? frame.getValue("replyAddress") : frame.getValue("address");
        socket.write(err(problem, code, to instanceof String s ? s : null).encode());
    }

    private static JsonObject err(String problem, JpmError code, String address) {
        JsonObject err = new JsonObject()
                .put("type", "err")
                .put("failureCode", code.code())
                .put("failureType", "RECIPIENT_FAILURE")
                .put("message", problem);
        if (address != null) {
            err.put("address", address);
        }
        return err;
    }
}
