package io.jpm.balancer;

import io.jpm.verticle.SharedPortExit;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * HTTP mode ({@code balance: "http"}): an HTTP/1.1 reverse proxy. Each request goes to the ready
 * instance with the fewest requests in flight, so a keep-alive client moves to a new instance
 * between two requests, and an instance out of rotation only has to finish its requests in flight:
 * a reload fails no request even when the app exits at once on its stop signal.
 *
 * <p>A request is retried on another instance when its connection fails before it was sent, and,
 * for a body-less idempotent request (GET, HEAD, OPTIONS), when the instance closed the connection
 * before answering (what nginx's proxy_next_upstream does by default).
 */
final class HttpFrontend implements Frontend {
  /** Headers that belong to one hop (RFC 9110 7.6.1): never forwarded. */
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");
  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
  /** Attempts for one request, across instances. */
  private static final int MAX_ATTEMPTS = 4;
  /** Answers up to this size are relayed whole (one write); larger ones are piped with back-pressure. */
  private static final long WHOLE_BODY_MAX = 64 * 1024;

  private final Vertx vertx;
  private final BalancedApp app;
  private final HttpServer server;
  private final HttpClient client;

  HttpFrontend(Vertx vertx, BalancedApp app, HttpClient client) {
    this.vertx = vertx;
    this.app = app;
    this.client = client;
    this.server = vertx.createHttpServer(new HttpServerOptions().setHost(app.host).setPort(app.port)
        .setTcpNoDelay(true).setReuseAddress(true));
    server.requestHandler(this::accept);
  }

  @Override
  public Future<Integer> listen() {
    return server.listen().map(HttpServer::actualPort);
  }

  @Override
  public Future<Void> close() {
    return server.close();
  }

  @Override
  public Future<Void> shutdown(long graceMs) {
    // the public port stays open (shared with the successor): leave it without dropping a client
    return SharedPortExit.shutdown(vertx, server, () -> server.shutdown(graceMs, java.util.concurrent.TimeUnit.MILLISECONDS));
  }

  private void accept(HttpServerRequest request) {
    if (hasBody(request)) {
      // held until an instance is connected, then piped to it with back-pressure
      request.pause();
    }
    forward(request, new HashSet<>(), 1);
  }

  private static boolean hasBody(HttpServerRequest request) {
    return request.headers().contains(HttpHeaders.CONTENT_LENGTH)
        ? !"0".equals(request.getHeader(HttpHeaders.CONTENT_LENGTH))
        : request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
  }

  private void forward(HttpServerRequest request, Set<Upstream> tried, int attempt) {
    app.acquire(tried).onComplete(picked -> {
      if (picked.failed()) {
        answer(request.response(), 503, "no ready instance");
        return;
      }
      Upstream upstream = picked.result();
      RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(upstream.port)
          .setMethod(request.method()).setURI(request.uri()).setHeaders(forwardHeaders(request));
      client.request(options).onComplete(ar -> {
        if (ar.failed()) {
          tried.add(upstream);
          app.connectFailed(upstream, ar.cause());
          retryOrFail(request, tried, attempt, 502);
        } else {
          send(request, ar.result(), upstream, tried, attempt);
        }
      });
    });
  }

  private void send(HttpServerRequest request, HttpClientRequest outbound, Upstream upstream,
      Set<Upstream> tried, int attempt) {
    boolean hasBody = hasBody(request);
    if (hasBody && !outbound.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      outbound.setChunked(true);
    }
    Future<HttpClientResponse> response = hasBody ? outbound.send(request) : outbound.send();
    response.onComplete(ar -> {
      if (ar.failed()) {
        tried.add(upstream);
        if (!hasBody && IDEMPOTENT.contains(request.method())) {
          app.sendFailed(upstream, ar.cause());
          retryOrFail(request, tried, attempt, 502);
        } else {
          upstream.release();
          answer(request.response(), 502, "instance failed: " + ar.cause().getMessage());
        }
        return;
      }
      relay(request, ar.result(), upstream);
    });
  }

  private void relay(HttpServerRequest request, HttpClientResponse inbound, Upstream upstream) {
    HttpServerResponse response = request.response();
    response.setStatusCode(inbound.statusCode()).setStatusMessage(inbound.statusMessage());
    copyHeaders(inbound.headers(), response.headers());
    boolean bodyless = request.method() == HttpMethod.HEAD || inbound.statusCode() == 204
        || inbound.statusCode() == 304 || inbound.statusCode() < 200;
    if (!bodyless && !response.headers().contains(HttpHeaders.CONTENT_LENGTH)
        && request.version() != HttpVersion.HTTP_1_0) {
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
    relayed.onComplete(done -> {
      upstream.bytesIn += request.bytesRead();
      upstream.bytesOut += response.bytesWritten();
      upstream.release();
      if (done.failed()) {
        answer(response, 502, "instance failed: " + done.cause().getMessage());
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

  private void retryOrFail(HttpServerRequest request, Set<Upstream> tried, int attempt, int status) {
    if (attempt < MAX_ATTEMPTS) {
      forward(request, tried, attempt + 1);
    } else {
      answer(request.response(), status, "no instance answered");
    }
  }

  private static MultiMap forwardHeaders(HttpServerRequest request) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    copyHeaders(request.headers(), headers);
    String client = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    if (client != null) {
      String prior = request.getHeader("X-Forwarded-For");
      headers.set("X-Forwarded-For", prior == null ? client : prior + ", " + client);
    }
    if (request.authority() != null && !headers.contains("X-Forwarded-Host")) {
      headers.set("X-Forwarded-Host", request.authority().toString());
    }
    headers.set("X-Forwarded-Proto", request.isSSL() ? "https" : "http");
    return headers;
  }

  private static void copyHeaders(MultiMap from, MultiMap to) {
    Set<String> named = new HashSet<>();
    String connection = from.get(HttpHeaders.CONNECTION);
    if (connection != null) {
      for (String token : connection.split(",")) {
        named.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    from.forEach((key, value) -> {
      String lower = key.toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(lower) && !named.contains(lower)) {
        to.add(key, value);
      }
    });
  }

  private static void answer(HttpServerResponse response, int status, String text) {
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end(text + "\n");
  }
}
