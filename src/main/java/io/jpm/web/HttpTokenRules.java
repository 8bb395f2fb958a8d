package io.jpm.web;

import io.jpm.protocol.JpmError;
import io.jpm.verticle.RefusalLog;
import io.jpm.verticle.TokenGuard;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/**
 * The bridge's token rules at the HTTP door: {@code Authorization: Bearer <token>}, the read-only
 * token reads ({@code jpm.query.*}, event streams), the admin token also acts ({@code jpm.cmd.*}).
 * Each route names the bus address it maps onto, and the same {@link TokenGuard} as the bridge's
 * decides (constant-time compare). A refusal is answered 401 (no or wrong token) or 403 (read-only
 * token acting), changes nothing, and leaves one line in the daemon log (never the token). A request
 * refused 401 that announces a body is answered without reading it, and its connection closed.
 */
final class HttpTokenRules {
    private static final String BEARER = "Bearer ";
    /** Set on a request let through: whether it came with the read-only token. */
    private static final String READ_ONLY = "jpm.readOnly";

    private final TokenGuard guard;
    /** Told of each connection a request with a valid token came on (the door's connection cap spares it). */
    private final Consumer<HttpConnection> onAuthenticated;

    private final RefusalLog refusals;
    private final EventTickets tickets;

    HttpTokenRules(
            TokenGuard guard, Consumer<HttpConnection> onAuthenticated, RefusalLog refusals, EventTickets tickets) {
        this.guard = guard;
        this.refusals = refusals;
        this.onAuthenticated = onAuthenticated;
        this.tickets = tickets;
    }

    /**
     * Lets a request through when it has either token, before its body is read: mounted ahead of the
     * body handler, so a request without a valid token costs its headers and no more (the route's own
     * check then says whether that token may do what the route does).
     */
    Handler<RoutingContext> authenticated() {
        return ctx -> check(ctx, "register", null);
    }

    /** Lets a request through when its token may send to {@code address} (a query or a command). */
    Handler<RoutingContext> sends(String address) {
        return ctx -> check(ctx, "send", address);
    }

    /**
     * Lets a request through when its token may register for events (either token), or, for a client
     * that cannot send a header (a browser's EventSource), when its {@code ticket} parameter is an
     * open ticket ({@link EventTickets}), used up here.
     */
    Handler<RoutingContext> listens(String address) {
        return ctx -> {
            String ticket = ctx.request().getParam("ticket");
            if (ticket == null || ctx.request().getHeader("Authorization") != null) {
                check(ctx, "register", address);
                return;
            }
            Boolean readOnly = tickets.redeem(ticket);
            if (readOnly == null) {
                refuse(
                        ctx,
                        401,
                        "the ticket is unknown, expired or already used (POST /api/events/ticket gives a new one)");
                return;
            }
            ctx.put(READ_ONLY, readOnly);
            onAuthenticated.accept(ctx.request().connection());
            ctx.next();
        };
    }

    /** Whether this request came with the read-only token (it passed a check here). */
    static boolean readOnly(RoutingContext ctx) {
        return !Boolean.FALSE.equals(ctx.get(READ_ONLY));
    }

    /** A ticket for this request's token (it passed {@link #listens}); null when too many are open. */
    static String ticket(RoutingContext ctx, EventTickets tickets) {
        return tickets.issue(!Boolean.FALSE.equals(ctx.get(READ_ONLY)));
    }

    /**
     * A query's body as the bridge would pass it on for this request's token: marked
     * {@code "access": "read-only"} for the read-only token (God then lists env names without their
     * values, io.jpm.protocol.Access), as it is for the admin token.
     */
    static JsonObject query(RoutingContext ctx, JsonObject body) {
        return Boolean.FALSE.equals(ctx.get(READ_ONLY)) ? body : TokenGuard.markReadOnly(body);
    }

    /** The token of an {@code Authorization: Bearer} header, or null. */
    static String bearer(HttpServerRequest request) {
        return bearer(request.headers());
    }

    static String bearer(MultiMap headers) {
        String header = headers == null ? null : headers.get("Authorization");
        return header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim()
                : null;
    }

    private void check(RoutingContext ctx, String type, String address) {
        String token = bearer(ctx.request());
        TokenGuard.Verdict verdict = guard.check(type, address, token);
        if (verdict == TokenGuard.Verdict.ALLOWED) {
            ctx.put(READ_ONLY, guard.isReadOnly(token));
            onAuthenticated.accept(ctx.request().connection());
            ctx.next();
            return;
        }
        String why =
                switch (verdict) {
                    case NO_TOKEN -> "no token in Authorization: Bearer";
                    case WRONG_TOKEN -> "wrong token";
                    default -> "the read-only token may not send " + address;
                };
        refuse(ctx, verdict == TokenGuard.Verdict.READ_ONLY ? 403 : 401, why);
    }

    /** One line in the daemon log (never a token or ticket: the path only), and the refusal's answer. */
    private void refuse(RoutingContext ctx, int status, String why) {
        refusals.refused(() -> "web: refused " + ctx.request().method() + " "
                + ctx.request().path() + " from " + ctx.request().remoteAddress() + ": " + why);
        if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"jpm\"");
        }
        if (status == 401 && hasBody(ctx.request())) {
            // the body is not read: the connection ends with the answer, so the client cannot make us take it
            ctx.response().putHeader("Connection", "close");
            ctx.response().endHandler(v -> ctx.request().connection().close());
        }
        HttpReplies.json(
                ctx,
                status,
                new JsonObject()
                        .put("ok", false)
                        .put("code", JpmError.FORBIDDEN.code())
                        .put("error", JpmError.FORBIDDEN.name())
                        .put("message", "access denied: " + why));
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        return request.getHeader("Transfer-Encoding") != null
                || length != null && !length.trim().equals("0");
    }
}
