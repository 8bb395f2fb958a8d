package io.jpm.god;

import io.jpm.protocol.AppOption;
import io.jpm.protocol.HealthEvent;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.MetricsSample;
import io.jpm.protocol.ProcessState;
import io.jpm.protocol.RunFacts;
import io.jpm.verticle.Plain;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * God's side of Satan: the facts of a run Satan's rules ask for, the restarts they decide, and
 * their verdicts and samples folded into the table. Runs on God's event loop.
 */
final class SatanLink {
    private static final Logger LOG = Logger.getLogger("jpm.god");

    private final ProcessTable table;
    /** When {@link #applyMetrics} last ran (System.nanoTime), 0 before. */
    private long appliedAt;

    private final Supervisor supervisor;
    private final Restarts restarts;
    private final Path home;

    SatanLink(ProcessTable table, Supervisor supervisor, Restarts restarts, Path home) {
        this.table = table;
        this.supervisor = supervisor;
        this.restarts = restarts;
        this.home = home;
    }

    /** What Satan's rules need of pm_id's current run. */
    RunFacts facts(int pmId) {
        Instance instance = table.byId(pmId);
        if (instance == null) {
            throw new JpmException(JpmError.UNKNOWN_TARGET, "pm_id " + pmId + " is not in the process table");
        }
        String port = RunEnvironment.of(instance, instance.privatePort(), home).get("PORT");
        JsonObject watchdog = instance.watchdog().toJson();
        if (instance.watchdog().watch()) {
            watchdog.put(
                    AppOption.IGNORE_WATCH.key,
                    watchdog.getJsonArray(AppOption.IGNORE_WATCH.key)
                            .copy()
                            .addAll(new JsonArray(filesWrittenFor(instance.name()))));
        }
        return new RunFacts(
                pmId,
                instance.name(),
                instance.pid(),
                instance.state().word(),
                instance.config().cwd().toString(),
                instance.config().env(),
                parsePort(port),
                Plain.map(watchdog));
    }

    /**
     * What jpm writes for an app's instances, as ignore_watch patterns: never a reason to restart it.
     * An app that watches its folder with its logs inside (`watch: true`, `out_file:
     * "./logs/out.log"`, as real files do) would otherwise restart at each line it prints, as it does
     * under pm2. Each log and pid file, its rotated copies ({@code f.1}, {@code f.1.gz}, the gzip's
     * temp) and the folder jpm creates for it (the folder itself, not what else lands in it).
     */
    private List<String> filesWrittenFor(String app) {
        return ownFilePatterns(
                table.named(app).stream().flatMap(i -> Stream.of(i.outLog, i.errLog, i.combinedLog(), i.pidFile)));
    }

    static List<String> ownFilePatterns(Stream<String> files) {
        return files.filter(f -> f != null && f.startsWith("/") && !f.startsWith("/dev/"))
                .distinct()
                .flatMap(f -> Stream.of(
                        "^" + Pattern.quote(f) + "(\\.[0-9]+(\\.gz)?(\\.tmp)?)?$",
                        "^" + Pattern.quote(Path.of(f).getParent().toString()) + "$"))
                .distinct()
                .toList();
    }

    /** A restart Satan decided (health, memory, cron, watch, errored retry), with its reason. */
    Future<JsonObject> restart(JsonObject body) {
        Instance instance = table.byId(body.getInteger("pm_id", -1));
        Integer pid = body.getInteger("pid");
        // pid null: whatever run it has, or none when errored, or when stopped for a rule that starts
        // stopped apps too (pm2's cron); a user's stop otherwise wins
        boolean resting = instance != null
                && (instance.state() == ProcessState.ERRORED
                        || instance.state() == ProcessState.STOPPED && body.getBoolean("stopped_too", false));
        boolean sameRun =
                instance != null && (pid == null ? instance.state().isActive() || resting : pid.equals(instance.pid()));
        if (!sameRun) {
            return Future.succeededFuture(new JsonObject()); // the run Satan judged has already ended
        }
        String reason = body.getString("reason", "restart asked by satan");
        LOG.info(() -> "pm_id " + instance.pmId + " (" + instance.name() + "): " + reason);
        instance.restartedBySatan(reason);
        if (!instance.config().balancer().balanced()) {
            // pm2's restartProcessId: a fork app, or one instance of a socket-mode app (the others take
            // its connections from the shared queue meanwhile) is restarted in place
            return supervisor.restart(instance, reason).map(v -> Listing.summariesOf(List.of(instance))
                    .getJsonObject(0));
        }
        // behind the TCP or HTTP proxy, a reload: the instance is replaced without failing a client
        return restarts.reload(List.of(instance), reason, 0)
                .recover(failed -> {
                    if (pid == null
                            || !pid.equals(instance.pid())
                            || !instance.state().isActive()) {
                        return Future.failedFuture(failed);
                    }
                    // the replacement never got ready, and the run Satan judged still runs: restart it in
                    // place, as pm2 would, rather than leave a hung or bloated run in the table for good
                    LOG.warning(() -> "pm_id " + instance.pmId + " (" + instance.name() + "): " + failed.getMessage()
                            + "; restarting it in place");
                    return supervisor.restart(instance, reason).map(v -> List.of(instance));
                })
                .map(list -> Listing.summariesOf(list).getJsonObject(0));
    }

    void applyHealth(HealthEvent event) {
        Instance instance = table.byId(event.pmId());
        // a verdict on a reload's old run is not the new run's
        if (instance != null
                && (event.pid() == 0 || Integer.valueOf(event.pid()).equals(instance.pid()))) {
            instance.satanReports().healthVerdict(event.status(), event.reason(), event.pid());
        }
    }

    void applyMetrics(MetricsSample sample) {
        appliedAt = System.nanoTime();
        for (MetricsSample.Usage usage : sample.processes()) {
            Instance instance = table.byId(usage.pmId());
            if (instance != null
                    && instance.pid() != null
                    && instance.pid() == usage.pid()
                    && instance.state() != ProcessState.STOPPED) {
                instance.satanReports().usage(usage.cpu(), usage.memory());
            }
        }
    }

    /** When the last sample was folded into the table (System.nanoTime), 0 before the first. */
    long appliedAt() {
        return appliedAt;
    }

    /** Whether some instance has a process Satan samples. */
    boolean anyRunning() {
        for (Instance i : table.all()) {
            if (i.pid() != null) {
                return true;
            }
        }
        return false;
    }

    /** The last scrape of an instance's metrics_url, kept for its current run only. */
    void applyAppMetrics(JsonObject scrape) {
        Instance instance = scrape == null ? null : table.byId(scrape.getInteger("pm_id", -1));
        if (instance != null && instance.pid() != null && instance.pid().equals(scrape.getInteger("pid"))) {
            instance.satanReports().appMetrics(scrape);
        }
    }

    private static Integer parsePort(String text) {
        try {
            return text == null ? null : Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null; // an app's PORT that is not a number: nothing to probe on
        }
    }
}
