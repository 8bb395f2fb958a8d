package io.jpm.alerts;

import io.jpm.config.AlertSettings.Webhook;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.net.ConnectException;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Posts alerts to their webhooks, one at a time per webhook, in order. Nothing here waits on an
 * event loop: a host name is resolved on a worker (the JDK's resolver blocks) and the request goes to
 * that address with the name as its Host and TLS server name. Bounded: at most {@link #MAX_QUEUED}
 * alerts wait per webhook and a request gives up after {@link #TIMEOUT_MS}; past that an alert is
 * dropped and counted, so a webhook that hangs or fails grows nothing. What is said of a delivery
 * names the webhook, never its URL (the path holds its key; a client's error message may quote it).
 */
final class Webhooks {
    static final int MAX_QUEUED = 32;
    static final long TIMEOUT_MS = 10_000;
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9a-fA-F:]+]?");

    private final Vertx vertx;
    private final String host;
    private final Map<String, Lane> lanes = new HashMap<>();
    private HttpClient http;
    private long dropped;

    /** What a delivery is listed as from the moment it is queued until its outcome is known. */
    static final String WAITING = "waiting";
    /** A delivery whose webhook went from the config before it was sent. */
    static final String GONE = "dropped: webhook no longer configured";

    /** An alert waiting for its turn, and whom to tell what became of it. */
    private record Queued(Alert alert, BiConsumer<String, String> done) {}

    /** One webhook's alerts waiting, and whether one is on its way. */
    private static final class Lane {
        final Webhook hook;
        final ArrayDeque<Queued> waiting = new ArrayDeque<>();
        boolean busy;

        Lane(Webhook hook) {
            this.hook = hook;
        }
    }

    Webhooks(Vertx vertx, String host) {
        this.vertx = vertx;
        this.host = host;
    }

    /** Alerts dropped since the start: a queue was full, or their webhook went from the config. */
    long dropped() {
        return dropped;
    }

    /**
     * The webhooks now. What waits for a webhook that went is settled as {@link #GONE} (counted); what
     * waits for one whose URL or format changed is sent the new way, so an edit loses no alert. One
     * already on its way finishes as it began.
     */
    void use(Map<String, Webhook> hooks) {
        Map<String, Lane> changed = new HashMap<>();
        lanes.entrySet().removeIf(e -> {
            Lane lane = e.getValue();
            Webhook now = hooks.get(e.getKey());
            if (now == null) {
                dropped += lane.waiting.size();
                lane.waiting.forEach(q -> q.done().accept(e.getKey(), GONE));
            } else if (!now.equals(lane.hook)) {
                Lane next = new Lane(now);
                next.waiting.addAll(lane.waiting);
                lane.waiting.clear();
                changed.put(e.getKey(), next);
            }
            return !lane.hook.equals(now);
        });
        lanes.putAll(changed);
        hooks.forEach((name, hook) -> lanes.computeIfAbsent(name, n -> new Lane(hook)));
        changed.values().forEach(this::next);
    }

    /** Posts the alert to the webhook; {@code done} is told the delivery's outcome in a few words. */
    void send(String webhook, Alert alert, BiConsumer<String, String> done) {
        Lane lane = lanes.get(webhook);
        if (lane == null) {
            done.accept(webhook, GONE);
            return;
        }
        if (lane.waiting.size() >= MAX_QUEUED) {
            dropped++;
            done.accept(webhook, "dropped: " + MAX_QUEUED + " alerts already wait for this webhook");
            return;
        }
        done.accept(webhook, WAITING);
        lane.waiting.add(new Queued(alert, done));
        next(lane);
    }

    private void next(Lane lane) {
        if (!lane.busy && !lane.waiting.isEmpty() && lanes.get(lane.hook.name()) == lane) {
            lane.busy = true;
            Queued queued = lane.waiting.poll();
            post(lane.hook, WebhookBodies.of(lane.hook.format(), queued.alert(), host))
                    .onComplete(ar -> {
                        queued.done()
                                .accept(lane.hook.name(), ar.succeeded() ? ar.result() : "failed: " + why(ar.cause()));
                        lane.busy = false;
                        next(lane);
                    });
        }
    }

    private Future<String> post(Webhook hook, JsonObject body) {
        String name = hook.url().getHost();
        boolean https = hook.url().getScheme().equalsIgnoreCase("https");
        int port = hook.url().getPort() > 0 ? hook.url().getPort() : https ? 443 : 80;
        String path = hook.url().getRawPath() == null || hook.url().getRawPath().isEmpty()
                ? "/"
                : hook.url().getRawPath();
        String uri = hook.url().getRawQuery() == null
                ? path
                : path + "?" + hook.url().getRawQuery();
        if (http == null) {
            http = vertx.createHttpClient(
                    new HttpClientOptions().setKeepAlive(false).setForceSni(true));
        }
        return address(name)
                .compose(ip -> http.request(new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setServer(SocketAddress.inetSocketAddress(port, ip))
                        .setHost(name)
                        .setPort(port)
                        .setSsl(https)
                        .setURI(uri)
                        .setConnectTimeout(TIMEOUT_MS)
                        .setIdleTimeout(TIMEOUT_MS)
                        .putHeader("Content-Type", "application/json")))
                .compose(request -> request.send(body.toBuffer()))
                .compose(response -> response.end().map(v -> response.statusCode()))
                .compose(status -> status >= 200 && status < 300
                        ? Future.succeededFuture("sent (HTTP " + status + ")")
                        : Future.failedFuture(new IllegalStateException("HTTP " + status)));
    }

    /** An address as it is, a name resolved on a worker: the JDK's resolver blocks. */
    private Future<String> address(String name) {
        String bare = name.startsWith("[") ? name.substring(1, name.length() - 1) : name;
        if (IP_LITERAL.matcher(name).matches()) {
            return Future.succeededFuture(bare);
        }
        return vertx.executeBlocking(() -> InetAddress.getByName(bare).getHostAddress(), false);
    }

    /** A failure in a few words that cannot quote the URL (a client's timeout message names the path). */
    private static String why(Throwable e) {
        if (e instanceof IllegalStateException
                && e.getMessage() != null
                && e.getMessage().startsWith("HTTP ")) {
            return e.getMessage();
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof TimeoutException || e.getClass().getSimpleName().contains("Timeout")) {
            return "no answer within " + TIMEOUT_MS / 1000 + " s";
        }
        if (e instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        return e.getClass().getSimpleName();
    }

    void close() {
        if (http != null) {
            http.close();
        }
    }
}
