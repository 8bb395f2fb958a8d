package io.jpm.web;

import io.jpm.protocol.AppOption;
import io.jpm.protocol.ProcessState;
import io.jpm.protocol.ProcessView;
import io.jpm.protocol.ProcessViewBalancer;
import io.jpm.verticle.Plain;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * One Prometheus scrape built from what the daemon already knows: jlist (each instance's cpu,
 * memory, restarts, uptime, status and balancer counters, labelled {@code app} and {@code pm_id}),
 * Satan's ping (threads, each verticle's ping latency) and the daemon's own RSS and event-loop
 * lag, a Node app's code metrics ({@link CodeMetricsExport}), and the apps' own metrics
 * ({@link AppMetricsExport}). Only the data model is built here; the Prometheus client's writer does the format.
 */
final class PrometheusScrape {
    static final List<String> STATUSES = Stream.of(
                    ProcessState.ONLINE,
                    ProcessState.LAUNCHING,
                    ProcessState.STOPPING,
                    ProcessState.STOPPED,
                    ProcessState.WAITING_RESTART,
                    ProcessState.ERRORED)
            .map(ProcessState::word)
            .toList();

    private final Map<String, GaugeSnapshot.Builder> gauges = new LinkedHashMap<>();
    /** The CPU seconds a pid has used ({@link ProcessCpuTime} outside tests). */
    private final IntFunction<OptionalDouble> cpuSeconds;

    private final Map<String, CounterSnapshot.Builder> counters = new LinkedHashMap<>();

    private PrometheusScrape(IntFunction<OptionalDouble> cpuSeconds) {
        this.cpuSeconds = cpuSeconds;
    }

    /** @param list jlist; @param ping jpm.query.ping's data; @param rssBytes the daemon's RSS; @param lagSeconds its loop lag */
    static MetricSnapshots of(JsonArray list, JsonObject ping, long rssBytes, double lagSeconds) {
        return of(list, ping, rssBytes, lagSeconds, ProcessCpuTime::of);
    }

    static MetricSnapshots of(
            JsonArray list, JsonObject ping, long rssBytes, double lagSeconds, IntFunction<OptionalDouble> cpuSeconds) {
        PrometheusScrape scrape = new PrometheusScrape(cpuSeconds);
        for (Object o : list) {
            scrape.process((JsonObject) o);
        }
        scrape.gauge("jpm_daemon_resident_memory_bytes", "the daemon JVM's resident memory", Labels.EMPTY, rssBytes);
        scrape.gauge(
                "jpm_daemon_event_loop_lag_seconds",
                "the worst lateness of the HTTP server's event loop over the last 15-30 s",
                Labels.EMPTY,
                lagSeconds);
        scrape.gauge(
                "jpm_daemon_threads",
                "the daemon's threads, as the kernel counts them",
                Labels.EMPTY,
                ping.getInteger("threads", 0));
        scrape.gauge(
                "jpm_daemon_uptime_seconds",
                "how long the daemon has run",
                Labels.EMPTY,
                ping.getLong("uptime", 0L) / 1000.0);
        JsonObject verticles = ping.getJsonObject("verticles", new JsonObject());
        for (String name : verticles.fieldNames()) {
            JsonObject v = verticles.getJsonObject(name);
            if (v.getValue("busyMs") instanceof Number busy) {
                scrape.gauge(
                        "jpm_daemon_verticle_busy_seconds",
                        "how long the verticle's current task has held its thread, 0 when it has none (past"
                                + " satan.hang_timeout the daemon exits and its keeper starts the next)",
                        Labels.of("verticle", name),
                        busy.doubleValue() / 1000);
            }
        }
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        scrape.gauges.values().forEach(b -> all.metricSnapshot(b.build()));
        scrape.counters.values().forEach(b -> all.metricSnapshot(b.build()));
        AppMetricsExport.of(list).forEach(all::metricSnapshot);
        return all.build();
    }

    private void process(JsonObject row) {
        ProcessView p = ProcessView.from(Plain.map(row));
        if (p.oldRun()) {
            return; // a reload's old run ("_old_3"): its pm_id already names the new one
        }
        // pm2's namespace option ("default" when none was given), so a dashboard can sum by group
        String namespace = p.pm2Env().ecosystem().namespace() == null
                ? AppOption.NAMESPACE.textDefault()
                : p.pm2Env().ecosystem().namespace();
        Labels labels = Labels.of("app", p.name(), "namespace", namespace, "pm_id", Integer.toString(p.pmId()));
        String status =
                p.pm2Env().run().status() == null ? "" : p.pm2Env().run().status();
        usage(p, labels, ProcessState.ofWord(status));
        for (String state : STATUSES) {
            gauge(
                    "jpm_process_status",
                    "1 for the instance's status, 0 for the others (pm2's status words)",
                    labels.merge(new String[] {"status"}, new String[] {state}),
                    state.equals(status) ? 1 : 0);
        }
        CodeMetricsExport.export(p.pm2Env().codeMetrics(), labels, this::gauge);
        ProcessViewBalancer balancer = p.jpm().balancer();
        if (balancer != null) {
            balancer(balancer, labels);
        }
    }

    /** The instance's CPU, memory, uptime and restarts. */
    private void usage(ProcessView p, Labels labels, ProcessState current) {
        gauge("jpm_process_cpu_percent", "percent of one core used over the last sample", labels, p.cpu());
        OptionalDouble cpu =
                current != null && current.hasProcess() ? cpuSeconds.apply(p.pid()) : OptionalDouble.empty();
        if (cpu.isPresent()) {
            counter(
                    "jpm_process_cpu_seconds",
                    "user and system CPU time of the instance's main process (utime + stime, as Prometheus'"
                            + " process_cpu_seconds_total)",
                    labels,
                    cpu.getAsDouble());
        }
        gauge("jpm_process_memory_bytes", "resident memory of the instance's whole process group", labels, p.memory());
        gauge(
                "jpm_process_uptime_seconds",
                "how long the current run has been online (0 when not running)",
                labels,
                current == ProcessState.ONLINE ? p.jpm().uptimeMs() / 1000.0 : 0);
        counter(
                "jpm_process_restarts",
                "restarts of the instance (pm2's restart_time)",
                labels,
                p.pm2Env().run().restartTime());
        counter(
                "jpm_process_unstable_restarts",
                "restarts after a run shorter than min_uptime",
                labels,
                p.pm2Env().run().unstableRestarts());
    }

    /** What the balancer counted for the instance. */
    private void balancer(ProcessViewBalancer balancer, Labels labels) {
        // socket mode has only its open connections (in a full describe); the kernel hands them out, nothing is
        // counted
        ProcessViewBalancer.Proxy proxy = balancer instanceof ProcessViewBalancer.Proxy b ? b : null;
        Long sharedSocketConnections = balancer instanceof ProcessViewBalancer.Socket b ? b.connections() : null;
        gauge(
                "jpm_balancer_connections",
                "connections open to the instance through the balancer (HTTP mode: requests in flight)",
                labels,
                proxy != null ? proxy.connections() : sharedSocketConnections == null ? 0 : sharedSocketConnections);
        counter(
                "jpm_balancer_requests",
                "connections (HTTP mode: requests) the balancer handed to this run",
                labels,
                proxy == null ? 0 : proxy.served());
        gauge(
                "jpm_balancer_requests_per_minute",
                "connections (HTTP mode: requests) handed to this run over the last minute (pm2 monit's req/min)",
                labels,
                proxy == null ? 0 : proxy.perMinute());
        counter(
                "jpm_balancer_received_bytes",
                "bytes from clients to this run through the balancer",
                labels,
                proxy == null ? 0 : proxy.bytesIn());
        counter(
                "jpm_balancer_sent_bytes",
                "bytes from this run to clients through the balancer",
                labels,
                proxy == null ? 0 : proxy.bytesOut());
    }

    private void gauge(String name, String help, Labels labels, double value) {
        gauges.computeIfAbsent(name, n -> GaugeSnapshot.builder().name(n).help(help))
                .dataPoint(GaugeDataPointSnapshot.builder()
                        .labels(labels)
                        .value(value)
                        .build());
    }

    private void counter(String name, String help, Labels labels, double value) {
        counters.computeIfAbsent(name, n -> CounterSnapshot.builder().name(n).help(help))
                .dataPoint(CounterDataPointSnapshot.builder()
                        .labels(labels)
                        .value(value)
                        .build());
    }
}
