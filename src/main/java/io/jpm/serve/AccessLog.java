package io.jpm.serve;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.io.PrintStream;

/**
 * One line on stdout per request once its response is sent:
 * {@code 127.0.0.1 - "GET /a.txt HTTP/1.1" 200 6 3ms} (client, user or -, request line as asked,
 * status, body bytes, time taken). No date: jpm's log options add one ({@code time},
 * {@code log_date_format}). pm2's server logs only failures, on stderr.
 */
final class AccessLog implements Handler<RoutingContext> {
    /** Set on a request's first pass: a reroute (spa, homepage) logs what the client asked. */
    private static final String FIRST_SEEN = "jpm.serve.first";
    /** The basic-auth user a request was let in as. */
    static final String USER = "jpm.serve.user";

    private final PrintStream out;

    AccessLog(PrintStream out) {
        this.out = out;
    }

    @Override
    public void handle(RoutingContext context) {
        Started started = context.get(FIRST_SEEN);
        if (started == null) {
            HttpServerRequest request = context.request();
            started = new Started(
                    System.nanoTime(), request.method().name(), request.uri(), version(request), remote(request));
            context.put(FIRST_SEEN, started);
        }
        // a reroute clears the end handlers, so each pass adds its own and only the last one runs
        Started first = started;
        context.addBodyEndHandler(ignored -> out.println(line(
                first,
                context.get(USER),
                context.response().getStatusCode(),
                context.response().bytesWritten())));
        context.next();
    }

    static String line(Started request, String user, int status, long bytes) {
        long ms = (System.nanoTime() - request.nanos) / 1_000_000;
        return request.remote + " " + (user == null ? "-" : user) + " \"" + request.method + " " + request.uri + " "
                + request.version + "\" " + status + " " + bytes + " " + ms + "ms";
    }

    private static String version(HttpServerRequest request) {
        return switch (request.version()) {
            case HTTP_1_0 -> "HTTP/1.0";
            case HTTP_2 -> "HTTP/2";
            default -> "HTTP/1.1";
        };
    }

    private static String remote(HttpServerRequest request) {
        SocketAddress address = request.remoteAddress();
        return address == null || address.hostAddress() == null ? "-" : address.hostAddress();
    }

    record Started(long nanos, String method, String uri, String version, String remote) {}
}
