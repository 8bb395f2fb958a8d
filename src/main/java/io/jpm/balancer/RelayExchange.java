package io.jpm.balancer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * One request through the HTTP relay and where it stands: which instance carries it, whether the
 * request and the answer have ended. The exchange is over when both have (an instance may answer
 * before the body is in: the rest is then read and dropped). Plain fields: on one event loop only.
 */
final class RelayExchange {
    /** Attempts for one request, across instances. */
    static final int MAX_ATTEMPTS = 4;

    final HttpRequest request;
    final boolean http10;
    final boolean head;
    final boolean upgrade;
    /** No body follows the head (no length, not chunked): sent whole at once, so it can be sent again. */
    final boolean bodyless;
    /** The request may go to another instance when this one closed before answering (nginx's proxy_next_upstream). */
    final boolean retryable;
    /** The client keeps the connection after the answer (decided by the request, then by the answer's framing). */
    boolean clientKeepAlive;

    Set<Upstream> tried = Set.of();
    /** The client's sticky key when the app is sticky: its address, or its cookie's value ({@link #cookieSticky}). */
    String client;
    /** {@code sticky: "cookie"}: an answer from another instance than the cookie's sets the cookie anew. */
    boolean cookieSticky;

    int attempt = 1;
    /** Taken from the rotation (counted in its active requests) until {@link #released}. */
    Upstream upstream;

    boolean released;
    InstanceConnection instance;
    /** The head went to {@link #instance}; the body follows it. */
    boolean sent;

    boolean requestEnded;
    boolean answerStarted;
    boolean answerEnded;
    /** A 1xx answer is in: its end is not the exchange's. */
    boolean informational;
    /** The instance said 101 to an upgrade: a byte tunnel once the 101 is relayed. */
    boolean tunnel;
    /** The instance keeps its connection after this answer. */
    boolean instanceKeepAlive;
    /** The client closed, or the exchange was given up: late callbacks only undo what they took. */
    boolean abandoned;

    long bytesIn;
    long bytesOut;

    RelayExchange(HttpRequest request, boolean upgrade) {
        this.request = request;
        this.http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        this.head = HttpMethod.HEAD.equals(request.method());
        this.upgrade = upgrade;
        this.clientKeepAlive = HttpUtil.isKeepAlive(request);
        this.bodyless = !HttpUtil.isTransferEncodingChunked(request) && contentLength(request) == 0;
        HttpMethod method = request.method();
        this.retryable =
                bodyless && !upgrade && (HttpMethod.GET.equals(method) || head || HttpMethod.OPTIONS.equals(method));
    }

    /** The request's declared length, 0 without one; -1 when unreadable (only a request the codec refused has one). */
    private static long contentLength(HttpRequest request) {
        try {
            return HttpUtil.getContentLength(request, 0L);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The instance's answer head made fit for this client, in place: hop-by-hop headers out, and the
     * framing the client can read. A body of unknown length goes chunked to an HTTP/1.1 client; an
     * HTTP/1.0 client gets it raw and the connection closes after it, as it does after any answer
     * when the client asked for that.
     */
    void frame(HttpResponse response) {
        instanceKeepAlive = HttpUtil.isKeepAlive(response);
        ForwardedHeaders.editResponse(response.headers(), false);
        int status = response.status().code();
        boolean bodyless = head || status == 204 || status == 304;
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        if (!bodyless && !chunked && !HttpUtil.isContentLengthSet(response)) {
            if (http10) {
                clientKeepAlive = false;
            } else {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
        } else if (http10 && chunked) {
            HttpUtil.setTransferEncodingChunked(response, false);
            clientKeepAlive = false;
        }
        if (cookieSticky && upstream != null && !upstream.cookie.equals(client)) {
            response.headers().add(HttpHeaderNames.SET_COOKIE, StickyCookie.setCookie(upstream.cookie));
        }
        if (!clientKeepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    /** jpm's own answer: {@code text} as plain text, with a length; {@code close} says so to the client. */
    static HttpResponse plainAnswer(HttpResponseStatus status, String text, boolean close) {
        ByteBuf body = Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8);
        HttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    /** The instances tried so far, with {@code failed}: a set is made only when a retry needs one (rare). */
    void tried(Upstream failed) {
        Set<Upstream> next = new HashSet<>(tried);
        next.add(failed);
        tried = next;
        attempt++;
    }

    /** Out of the instance's active requests, its bytes counted; once. */
    void release() {
        if (upstream != null && !released) {
            released = true;
            upstream.bytesIn.add(bytesIn);
            upstream.bytesOut.add(bytesOut);
            upstream.release();
        }
    }
}
