package io.jpm.it;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A webhook server of the test's own (Vert.x on 127.0.0.1, a free port): keeps each POSTed JSON body
 * with the first part of its path (the webhook's format in AlertsIT) and answers 200; between
 * {@link #hold()} and {@link #release()} it keeps the bodies but answers nothing, so that a delivery
 * stays on its way.
 */
final class WebhookReceiver implements AutoCloseable {
    private record Received(String hook, String text) {}

    private final Vertx vertx = Vertx.vertx();
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final HttpServer server;
    /** The answers held back while {@link #holding}; both guarded by this. */
    private final List<HttpServerResponse> held = new ArrayList<>();

    private boolean holding;

    WebhookReceiver() throws Exception {
        server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    String hook = request.path().split("/")[1];
                    received.add(new Received(hook, body.toString()));
                    answer(request.response());
                }))
                .listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
    }

    /** From now on each body is kept and its answer held back, until {@link #release()}. */
    synchronized void hold() {
        holding = true;
    }

    /** Answers what was held back (to a sender still there) and each body from now on. */
    void release() {
        List<HttpServerResponse> answers;
        synchronized (this) {
            holding = false;
            answers = List.copyOf(held);
            held.clear();
        }
        answers.forEach(WebhookReceiver::ok);
    }

    private void answer(HttpServerResponse response) {
        synchronized (this) {
            if (holding) {
                held.add(response);
                return;
            }
        }
        ok(response);
    }

    private static void ok(HttpServerResponse response) {
        try {
            response.setStatusCode(200).end("ok");
        } catch (IllegalStateException e) {
            // its sender went (a daemon killed while it waited): nobody to answer
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    List<JsonObject> bodies(String hook) {
        return received.stream()
                .filter(r -> r.hook.equals(hook))
                .map(r -> new JsonObject(r.text))
                .toList();
    }

    /**
     * How many bodies posted to {@code hook} hold {@code text}; jpm's JSON is read as the channels' line
     * says it ("rule status"), so one needle fits every format.
     */
    long count(String hook, String text) {
        return received.stream()
                .filter(r -> r.hook.equals(hook) && said(r.text).contains(text))
                .count();
    }

    private static String said(String body) {
        JsonObject json = new JsonObject(body);
        return json.containsKey("rule") ? json.getString("rule") + " " + json.getString("status") + " " + body : body;
    }

    void await(String what, String hook, String text, long n) {
        Jpm.await(what, () -> count(hook, text) >= n ? true : null);
    }

    /** Everything received, for a look for what must not be there. */
    String all() {
        StringBuilder all = new StringBuilder();
        received.forEach(r -> all.append(r.text).append('\n'));
        return all.toString();
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }
}
