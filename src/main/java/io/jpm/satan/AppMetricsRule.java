package io.jpm.satan;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.AppMetrics;
import io.jpm.protocol.ProcessState;
import io.jpm.verticle.LocalBus;
import io.jpm.verticle.Plain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scrapes each online run of an app with a {@code metrics_url} (its own Prometheus endpoint, as
 * pm2's @pm2/io metrics are the app's own) every {@link #SCRAPE_MS}, and publishes what it read on
 * {@code jpm.events.appMetrics}: God keeps the last scrape for describe and jlist, {@code jpm monit},
 * the dashboard and {@code /metrics} show it. Not a restart rule: it only uses the rules' view of
 * each run (online, facts read, ended). A path is read on the run's PORT; {@code {PORT}} in a URL
 * stands for it, so each instance of a cluster is scraped on its own port.
 */
final class AppMetricsRule implements Rule {
    static final long SCRAPE_MS = 5_000;
    private static final long FIRST_SCRAPE_MS = 1_000;
    private static final int TIMEOUT_MS = 2_000;
    /** An endpoint larger than this is refused: Satan holds the scrape in memory. */
    private static final int MAX_BYTES = 1024 * 1024;

    private final Vertx vertx;
    private final String host;
    private final Map<Integer, Long> timers = new HashMap<>();
    private HttpClientAgent http;

    AppMetricsRule(Vertx vertx, String host) {
        this.vertx = vertx;
        this.host = host;
    }

    @Override
    public void applied(Watched w) {
        stop(w);
        String url = w.options.metricsUrl();
        if (url == null || w.state != ProcessState.ONLINE || !w.factsAreForCurrentRun()) {
            return;
        }
        int pid = w.pid;
        // a run is online once spawned, usually before it listens: the first scrape waits a little
        timers.put(w.pmId, vertx.setPeriodic(FIRST_SCRAPE_MS, SCRAPE_MS, t -> scrape(w, pid, url)));
    }

    @Override
    public void ended(Watched w) {
        stop(w);
    }

    @Override
    public void forget(Watched w) {
        stop(w);
    }

    @Override
    public void close() {
        timers.values().forEach(vertx::cancelTimer);
        timers.clear();
    }

    private void stop(Watched w) {
        Long timer = timers.remove(w.pmId);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }

    private void scrape(Watched w, int pid, String url) {
        if (w.pid == null || w.pid != pid) {
            return; // the run ended between two scrapes
        }
        String target = url.startsWith("/") ? null : w.port == null ? url : url.replace("{PORT}", w.port.toString());
        fetch(url, target, w.port).onComplete(ar -> {
            String shown = target != null ? target : "http://127.0.0.1:" + w.port + url;
            AppMetrics metrics;
            if (ar.succeeded()) {
                PrometheusText.Parsed parsed = PrometheusText.parse(ar.result());
                metrics = new AppMetrics(
                        w.app,
                        w.pmId,
                        pid,
                        shown,
                        System.currentTimeMillis(),
                        host,
                        parsed.samples().isEmpty() && parsed.skipped() > 0
                                ? "no line reads as Prometheus text (" + parsed.skipped() + " skipped)"
                                : null,
                        parsed.samples());
            } else {
                metrics = new AppMetrics(
                        w.app,
                        w.pmId,
                        pid,
                        shown,
                        System.currentTimeMillis(),
                        host,
                        ar.cause().getMessage(),
                        List.of());
            }
            vertx.eventBus().publish(Addresses.EVENTS_APP_METRICS, Plain.json(metrics.toMap()), LocalBus.only());
        });
    }

    private Future<String> fetch(String url, String absolute, Integer port) {
        RequestOptions options = new RequestOptions()
                .setTimeout(TIMEOUT_MS)
                .setConnectTimeout(TIMEOUT_MS)
                .putHeader("Accept", "text/plain;version=0.0.4");
        if (absolute == null) {
            if (port == null) {
                return Future.failedFuture(
                        "metrics_url " + url + " is a path, and the run has no PORT: give a full URL");
            }
            options.setHost("127.0.0.1").setPort(port).setURI(url);
        } else {
            options.setAbsoluteURI(absolute);
        }
        if (http == null) {
            http = vertx.createHttpClient(
                    new HttpClientOptions().setKeepAlive(false).setMaxInitialLineLength(8192));
        }
        return http.request(options).compose(request -> request.send()).compose(response -> {
            if (response.statusCode() != 200) {
                return response.end().transform(v -> Future.failedFuture("answered HTTP " + response.statusCode()));
            }
            String length = response.getHeader("Content-Length");
            if (length != null && length.matches("\\d+") && Long.parseLong(length) > MAX_BYTES) {
                return Future.failedFuture("more than " + MAX_BYTES + " bytes");
            }
            return response.body()
                    .compose(body -> body.length() > MAX_BYTES
                            ? Future.failedFuture("more than " + MAX_BYTES + " bytes")
                            : Future.succeededFuture(body.toString()));
        });
    }
}
