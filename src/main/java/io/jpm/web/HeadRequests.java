package io.jpm.web;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * {@code HEAD} answers as {@code GET} does, without the body (RFC 9110 9.3.2: a monitor's uptime
 * check, {@code curl -I}, a proxy's health probe): every request is routed again as a GET, through
 * the same token rules, and Vert.x sends the head only (same status, type and length). vertx-web
 * routes a method only where it is declared, so {@code HEAD /ui/} answered 404 where GET answered
 * 200. Not the event streams ({@code /api/events}, {@code .../logs/stream}: a GET opens a stream that
 * never ends, a HEAD would hold it open with nothing to send) nor the SockJS bridge, which answers
 * its own methods: those fall to the unknown-route answer.
 */
final class HeadRequests {
    private static final Pattern NOT_FOR_HEAD =
            Pattern.compile("/api/events(/.*)?|/api/processes/[^/]+/logs/stream|/eventbus(/.*)?");

    private HeadRequests() {}

    /** Mounted first: a HEAD reaches the GET routes before any other. */
    static void mount(Router router) {
        router.route().method(HttpMethod.HEAD).handler(HeadRequests::asGet);
    }

    private static void asGet(RoutingContext ctx) {
        if (NOT_FOR_HEAD.matcher(ctx.request().path()).matches()) {
            ctx.next();
            return;
        }
        ctx.reroute(HttpMethod.GET, ctx.request().uri());
    }
}
