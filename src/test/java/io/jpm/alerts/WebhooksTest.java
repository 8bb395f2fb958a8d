package io.jpm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.config.AlertSettings.Format;
import io.jpm.config.AlertSettings.Webhook;
import io.jpm.testkit.Eventually;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A webhook that never answers holds one request and 32 waiting alerts, no more: the rest are
 * dropped and counted, and what is said of them never quotes the URL.
 */
class WebhooksTest {
    private Vertx vertx;
    private HttpServer hanging;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        hanging = vertx.createHttpServer()
                .requestHandler(request -> requests.incrementAndGet()) // never answered
                .listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aHangingWebhookQueuesABoundedNumberAndDropsTheRestCounted() throws Exception {
        Webhook hook = new Webhook(
                "ops", URI.create("http://127.0.0.1:" + hanging.actualPort() + "/KEY-secret"), Format.SLACK);
        Map<Long, String> outcome = new ConcurrentHashMap<>();
        int sent = Webhooks.MAX_QUEUED + 10;
        vertx.runOnContext(v -> {
            Webhooks webhooks = new Webhooks(vertx, "box");
            webhooks.use(Map.of("ops", hook));
            for (long id = 1; id <= sent; id++) {
                Alert alert = new Alert(id, "r", "errored", "api", Alert.FIRING, "api is errored", id);
                webhooks.send("ops", alert, (name, status) -> outcome.put(alert.id(), status));
            }
            outcome.put(0L, Long.toString(webhooks.dropped()));
        });
        Eventually.await("the first request at the server", () -> requests.get() == 1 ? true : null);
        Eventually.await("every alert placed", () -> outcome.size() == sent + 1 ? true : null);
        long dropped =
                outcome.values().stream().filter(s -> s.startsWith("dropped")).count();
        // one on its way (taken from the queue), 32 waiting, the rest dropped
        assertEquals(sent - 1 - Webhooks.MAX_QUEUED, dropped, outcome.toString());
        assertEquals(Long.toString(dropped), outcome.get(0L));
        assertTrue(outcome.values().stream().noneMatch(s -> s.contains("KEY")), outcome.toString());
        assertEquals(1, requests.get(), "one at a time per webhook");
    }

    @Test
    void whatWaitsForAWebhookRemovedIsSettledAndForOneChangedGoesTheNewWay() throws Exception {
        HttpServer answering = vertx.createHttpServer()
                .requestHandler(request -> request.response().end("ok"))
                .listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
        URI hangs = URI.create("http://127.0.0.1:" + hanging.actualPort() + "/KEY-secret");
        Webhook ops = new Webhook("ops", hangs, Format.SLACK);
        Webhook old = new Webhook("old", hangs, Format.JSON);
        Webhook moved =
                new Webhook("ops", URI.create("http://127.0.0.1:" + answering.actualPort() + "/k"), Format.SLACK);
        Map<String, String> outcome = new ConcurrentHashMap<>();
        vertx.runOnContext(v -> {
            Webhooks webhooks = new Webhooks(vertx, "box");
            webhooks.use(Map.of("ops", ops, "old", old));
            for (long id = 1; id <= 3; id++) {
                Alert alert = new Alert(id, "r", "errored", "api", Alert.FIRING, "api is errored", id);
                webhooks.send("ops", alert, (name, status) -> outcome.put(name + id(alert), status));
                webhooks.send("old", alert, (name, status) -> outcome.put(name + id(alert), status));
            }
            // each webhook holds its first alert on its way and two waiting
            webhooks.use(Map.of("ops", moved));
        });
        Eventually.await(
                "the waiting alerts settled or sent",
                () -> "sent (HTTP 200)".equals(outcome.get("ops3")) ? true : null);
        assertEquals("sent (HTTP 200)", outcome.get("ops2"), outcome.toString());
        assertEquals(Webhooks.GONE, outcome.get("old2"), outcome.toString());
        assertEquals(Webhooks.GONE, outcome.get("old3"), outcome.toString());
        // the ones on their way when the config changed: still waiting on the server that does not answer
        assertEquals(Webhooks.WAITING, outcome.get("ops1"), outcome.toString());
        assertEquals(Webhooks.WAITING, outcome.get("old1"), outcome.toString());
    }

    private static String id(Alert alert) {
        return Long.toString(alert.id());
    }
}
