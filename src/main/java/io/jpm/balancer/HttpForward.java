package io.jpm.balancer;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.HashSet;
import java.util.Set;

/**
 * One lane's request path in HTTP mode: each request goes to the ready instance with the fewest
 * requests in flight, so a keep-alive client moves to a new instance between two requests, and an
 * instance out of rotation only has to finish its requests in flight: a reload fails no request
 * even when the app exits at once on its stop signal.
 *
 * <p>A request is retried on another instance when its connection fails before it was sent, and,
 * for a body-less idempotent request (GET, HEAD, OPTIONS), when the instance closed the connection
 * before answering (what nginx's proxy_next_upstream does by default). A request that asks for an
 * upgrade (WebSocket) becomes a tunnel once the instance answers 101 ({@link UpgradeTunnel}).
 * Runs on its lane's event loop only.
 */
final class HttpForward implements Handler<HttpServerRequest> {
    /** Attempts for one request, across instances. */
    private static final int MAX_ATTEMPTS = 4;
    /** HttpReplies up to this size are relayed whole (one write); larger ones are piped with back-pressure. */
    private static final long WHOLE_BODY_MAX = 64 * 1024;

    private final BalancedApp app;
    private final HttpClient client;

    HttpForward(BalancedApp app, HttpClient client) {
        this.app = app;
        this.client = client;
    }

    @Override
    public void handle(HttpServerRequest request) {
        boolean upgrade = ForwardedHeaders.isUpgrade(request.headers());
        if (upgrade || hasBody(request)) {
            // held until an instance is connected, then piped to it with back-pressure
            request.pause();
        }
        forward(request, Set.of(), 1, upgrade);
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return length != null ? !"0".equals(length) : request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    private void forward(HttpServerRequest request, Set<Upstream> tried, int attempt, boolean upgrade) {
        String sticky = app.stickyByCookie()
                ? StickyCookie.read(request.headers().getAll(HttpHeaders.COOKIE))
                : app.sticky == null || request.remoteAddress() == null
                        ? null
                        : request.remoteAddress().hostAddress();
        app.acquire(tried, sticky).onComplete((upstream, failure) -> {
            if (failure != null) {
                answer(request.response(), 503, failure.getMessage());
                return;
            }
            RequestOptions options = new RequestOptions()
                    .setHost("127.0.0.1")
                    .setPort(upstream.port)
                    .setMethod(request.method())
                    .setURI(request.uri());
            client.request(options).onComplete((outbound, failed) -> {
                if (failed != null) {
                    Set<Upstream> next = tried(tried, upstream);
                    app.connectFailed(upstream, failed);
                    retryOrFail(request, next, attempt, upgrade, 502);
                } else {
                    ForwardedHeaders.copyRequest(request, outbound.headers(), upgrade);
                    send(request, outbound, upstream, tried, attempt, upgrade);
                }
            });
        });
    }

    /** The instances tried so far: a set is made only when a retry needs one (rare). */
    private static Set<Upstream> tried(Set<Upstream> tried, Upstream upstream) {
        Set<Upstream> next = new HashSet<>(tried);
        next.add(upstream);
        return next;
    }

    private void send(
            HttpServerRequest request,
            HttpClientRequest outbound,
            Upstream upstream,
            Set<Upstream> tried,
            int attempt,
            boolean upgrade) {
        boolean hasBody = hasBody(request);
        if (hasBody && !outbound.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            outbound.setChunked(true);
        }
        String sticky =
                app.stickyByCookie() ? StickyCookie.read(request.headers().getAll(HttpHeaders.COOKIE)) : null;
        Future<HttpClientResponse> response =
                upgrade ? UpgradeTunnel.send(request, outbound) : hasBody ? outbound.send(request) : outbound.send();
        response.onComplete((inbound, failed) -> {
            if (failed != null) {
                if (!hasBody && !upgrade && idempotent(request.method())) {
                    app.sendFailed(upstream, failed);
                    retryOrFail(request, tried(tried, upstream), attempt, false, 502);
                } else {
                    upstream.release();
                    answer(request.response(), 502, "instance failed: " + failed.getMessage());
                }
                return;
            }
            if (upgrade && inbound.statusCode() == 101) {
                UpgradeTunnel.open(request, inbound, upstream);
            } else {
                relay(request, inbound, upstream, sticky);
            }
        });
    }

    private static boolean idempotent(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
    }

    /** @param cookie the request's sticky cookie when the app is sticky by cookie; another instance's sets it anew */
    private void relay(HttpServerRequest request, HttpClientResponse inbound, Upstream upstream, String cookie) {
        HttpServerResponse response = request.response();
        response.setStatusCode(inbound.statusCode()).setStatusMessage(inbound.statusMessage());
        ForwardedHeaders.copyResponse(inbound.headers(), response.headers());
        if (app.stickyByCookie() && !upstream.cookie.equals(cookie)) {
            response.headers().add(HttpHeaders.SET_COOKIE, StickyCookie.setCookie(upstream.cookie));
        }
        boolean bodyless = request.method() == HttpMethod.HEAD
                || inbound.statusCode() == 204
                || inbound.statusCode() == 304
                || inbound.statusCode() < 200;
        boolean unknownLength = !bodyless && !response.headers().contains(HttpHeaders.CONTENT_LENGTH);
        boolean http10 = request.version() == HttpVersion.HTTP_1_0;
        String connection = request.getHeader(HttpHeaders.CONNECTION);
        boolean keepAliveAsked = http10 && connection != null && ForwardedHeaders.hasToken(connection, "keep-alive");
        // an HTTP/1.0 client reads a body of unknown length to the connection's close (no chunks)
        boolean closeAfter = http10 && unknownLength && keepAliveAsked;
        if (http10 && (unknownLength || !keepAliveAsked)) {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        } else if (unknownLength) {
            response.setChunked(true);
        }
        Future<Void> relayed;
        long length = contentLength(inbound);
        if (length >= 0 && length <= WHOLE_BODY_MAX) {
            // a small body of known length goes out with the head in one write, not two
            relayed = inbound.body().compose(response::end);
        } else {
            relayed = inbound.pipeTo(response);
        }
        relayed.onComplete((v, failed) -> {
            upstream.bytesIn.add(request.bytesRead());
            upstream.bytesOut.add(response.bytesWritten());
            upstream.release();
            if (failed != null) {
                answer(response, 502, "instance failed: " + failed.getMessage());
            } else if (closeAfter) {
                request.connection().close();
            }
        });
    }

    private static long contentLength(HttpClientResponse inbound) {
        String text = inbound.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (text == null || inbound.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            return -1;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void retryOrFail(HttpServerRequest request, Set<Upstream> tried, int attempt, boolean upgrade, int status) {
        if (attempt < MAX_ATTEMPTS) {
            forward(request, tried, attempt + 1, upgrade);
        } else {
            answer(request.response(), status, "no instance of '" + app.name + "' answered");
        }
    }

    static void answer(HttpServerResponse response, int status, String text) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end(text + "\n");
    }
}
