package io.jpm.web;

import io.jpm.protocol.Addresses;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code GET /metrics}: the Prometheus text format (version 0.0.4), for a scraper; {@code GET
 * /metrics/pm2} the families of pm2's exporters (pm2-metrics). They need the read-only token like
 * any read, unless jpm.json's {@code web.open_metrics} opens them for scrapers on the same host that
 * cannot send one.
 */
final class MetricsRoute {
    /** Linux's page size on every platform jpm runs on; statm counts pages. */
    private static final long PAGE_BYTES = 4096;

    private final Vertx vertx;
    private final BusCall bus;
    private final LoopLag lag;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    MetricsRoute(Vertx vertx, BusCall bus, LoopLag lag) {
        this.vertx = vertx;
        this.bus = bus;
        this.lag = lag;
    }

    void mount(Router router, HttpTokenRules doorman, boolean open) {
        if (open) {
            router.get("/metrics").handler(this::scrape);
            router.get("/metrics/pm2").handler(this::scrapePm2);
        } else {
            router.get("/metrics").handler(doorman.sends(Addresses.QUERY_LIST)).handler(this::scrape);
            router.get("/metrics/pm2")
                    .handler(doorman.sends(Addresses.QUERY_LIST))
                    .handler(this::scrapePm2);
        }
    }

    /** {@code /metrics/pm2}: the families pm2's exporters write ({@link Pm2MetricsScrape}). */
    private void scrapePm2(RoutingContext ctx) {
        bus.request(Addresses.QUERY_LIST, new JsonObject().put("env", false), BusCall.QUERY_TIMEOUT_MS)
                .compose(list -> vertx.executeBlocking(
                        () -> {
                            ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
                            writer.write(out, Pm2MetricsScrape.of((JsonArray) list, System.currentTimeMillis()));
                            return out.toByteArray();
                        },
                        false))
                .onSuccess(bytes -> {
                    ctx.response().putHeader("Content-Type", writer.getContentType());
                    HttpReplies.end(ctx, Buffer.buffer(bytes));
                })
                .onFailure(e -> HttpReplies.fail(ctx, e));
    }

    private void scrape(RoutingContext ctx) {
        Future<Object> list =
                bus.request(Addresses.QUERY_LIST, new JsonObject().put("env", false), BusCall.QUERY_TIMEOUT_MS);
        Future<Object> ping = bus.request(Addresses.QUERY_PING, new JsonObject(), BusCall.QUERY_TIMEOUT_MS);
        Future.all(list, ping)
                .compose(v -> vertx.executeBlocking(
                        () -> {
                            ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
                            writer.write(
                                    out,
                                    PrometheusScrape.of(
                                            (JsonArray) list.result(),
                                            (JsonObject) ping.result(),
                                            rss(),
                                            lag.worstSeconds()));
                            return out.toByteArray();
                        },
                        false))
                .onSuccess(bytes -> {
                    ctx.response().putHeader("Content-Type", writer.getContentType());
                    HttpReplies.end(ctx, Buffer.buffer(bytes));
                })
                .onFailure(e -> HttpReplies.fail(ctx, e));
    }

    private static long rss() throws IOException {
        String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
        return Long.parseLong(statm[1]) * PAGE_BYTES;
    }
}
