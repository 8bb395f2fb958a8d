package io.jpm.satan;

import io.jpm.config.SatanSettings;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.BlockingCall;
import io.jpm.protocol.Build;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.MetricsSample;
import io.jpm.protocol.ProcessEvent;
import io.jpm.protocol.ProcessState;
import io.jpm.verticle.LocalBus;
import io.jpm.verticle.Plain;
import io.jpm.verticle.Reply;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Satan: the daemon's watchdog of the apps. Samples every running instance's process group from /proc
 * and publishes the figures, each second
 * while someone follows them or a memory limit needs them and every idle sample interval otherwise,
 * and at once for who asks ({@link SamplingPace}); restarts
 * apps on health, memory, cron, file changes and errored retry ({@link AppWatchdog}); answers
 * {@code jpm ping} with the daemon's health: its threads, and how long each verticle's current task
 * has held its thread, from the daemon's hang check ({@link Addresses#INTERNAL_DAEMON_BUSY}).
 *
 * <p>Config: {@code {"host":..., "satan": {see SatanSettings}}}; a new {@code "satan"} section
 * published on {@code jpm.internal.settings} applies at once.
 */
public final class SatanVerticle extends VerticleBase {
    private static final Logger LOG = Logger.getLogger("jpm.satan");
    private final ProcSampler sampler = new ProcSampler();
    private final SamplingPace pace = new SamplingPace();
    /** pm_id by the process-group id of its running process, from process events. */
    private final Map<Integer, Integer> groups = new HashMap<>();

    private final long startedAt = System.currentTimeMillis();
    private AppWatchdog apps;
    private SatanSettings settings;
    /** The read of /proc under way, which a caller who asks meanwhile waits for. */
    private Future<MetricsSample> sampling;

    private MetricsSample last;
    private String host;
    private long sampleTimer = -1;
    /** When the armed tick is due (System.nanoTime), while sampleTimer is set. */
    private long tickDueNanos;

    @Override
    public Future<?> start() {
        host = config().getString("host", "localhost");
        settings = SatanSettings.from(config().getJsonObject("satan"));
        apps = new AppWatchdog(vertx, context, host, this::armSampling);
        HostTotals.serve(vertx, Path.of(config().getString("home", System.getProperty("user.dir"))), host);

        vertx.eventBus().<JsonObject>localConsumer(Addresses.EVENTS_PROCESS, m -> {
            ProcessEvent event = ProcessEvent.from(Plain.map(m.body()));
            track(event);
            apps.onProcessEvent(event);
        });
        vertx.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.INTERNAL_SATAN_RESTING,
                        m -> apps.onResting(
                                m.body().getInteger("pm_id"),
                                m.body().getString("app"),
                                ProcessState.fromWord(m.body().getString("status"))));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_SETTINGS, m -> {
            if (m.body() != null && m.body().containsKey("satan")) {
                settings = SatanSettings.from(m.body().getJsonObject("satan"));
                LOG.info(() -> "satan settings applied: " + settings);
                cancelTick();
                armSampling();
            }
        });
        vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_METRICS_FOLLOWERS, m -> {
            pace.told(m.body());
            armSampling(); // a new follower wants a figure each sample interval from now
        });
        vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_SATAN_SAMPLE, m -> freshSample()
                .onSuccess(sample -> m.reply(Reply.ok(Plain.json(sample.toMap()))))
                .onFailure(e -> m.fail(JpmError.INTERNAL.code(), "cannot read /proc: " + e.getMessage())));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.QUERY_PING, m -> {
            // the thread count is a /proc read: on a worker, never on this loop
            Future<Integer> threads =
                    vertx.executeBlocking(SatanVerticle::threads, false).otherwise(-1);
            Future<JsonObject> busy = vertx.eventBus()
                    .<JsonObject>request(Addresses.INTERNAL_DAEMON_BUSY, new JsonObject())
                    .map(reply -> reply.body().getJsonObject("data"))
                    .otherwise(e -> new JsonObject()); // no hang check (tests of Satan alone): nothing to say
            Future<JsonObject> keeper = vertx.eventBus()
                    .<JsonObject>request(Addresses.INTERNAL_KEEPER_STATE, new JsonObject())
                    .map(reply -> reply.body())
                    .otherwise(e -> null); // a daemon's part that is not there (tests of Satan alone)
            Future.all(threads, busy, keeper)
                    .onComplete(all -> m.reply(
                            Reply.ok(pong(busy.result(), threads.result()).put("keeper", keeper.result()))));
        });
        armSampling();
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        apps.close();
        return Future.succeededFuture();
    }

    /**
     * {@code jpm ping}'s answer: pm2's pong, the daemon's facts, and from the hang check ({@code busy}):
     * each verticle's status ("ok", or "busy" while its current task has held its thread a second or
     * more), God's in the shape {@code jpm ping} has always shown, the hang timeout, and the longest
     * task the hang check has seen under way since the start. The caller adds the keeper: its pid and
     * whether the apps outlive the daemon now ({@code jpm.internal.keeper.state}).
     */
    private JsonObject pong(JsonObject busy, int threads) {
        JsonObject verticles = busy.getJsonObject("verticles", new JsonObject());
        JsonObject god = verticles.getJsonObject("god", new JsonObject());
        return new JsonObject()
                .put("pong", true)
                .put("pid", ProcessHandle.current().pid())
                .put("host", host)
                .put("uptime", System.currentTimeMillis() - startedAt)
                .put("threads", threads)
                .put("version", Build.current().version())
                .put("build", new JsonObject(Build.current().toMap()))
                .put("java", System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")")
                .put("user", System.getProperty("user.name"))
                .put(
                        "god",
                        new JsonObject()
                                .put("ok", !"busy".equals(god.getString("status")))
                                .put("busyMs", god.getLong("busyMs", 0L)))
                .put("verticles", verticles)
                .put("hangTimeoutMs", busy.getLong("hangTimeoutMs"))
                .put("longestTask", busy.getJsonObject("longestTask"));
    }

    /**
     * Samples only while some process runs, and wakes only when a
     * sample is due ({@link SamplingPace#untilDue}): a tick each sample interval that mostly finds
     * nothing due would wake an idle daemon with apps every second for nothing. Armed again at each
     * process event, follower count and settings change, so a tick armed for the idle interval comes
     * forward when the figures are wanted sooner (a follower, an app with a memory limit).
     */
    private void armSampling() {
        if (groups.isEmpty()) {
            cancelTick();
            last = null;
            return;
        }
        long now = System.nanoTime();
        long delayMs = pace.untilDue(now, System.currentTimeMillis(), settings, apps.memoryLimited());
        long due = now + delayMs * 1_000_000;
        if (sampleTimer >= 0 && tickDueNanos - due <= 0) {
            return; // the tick armed comes first; it arms the next one
        }
        cancelTick();
        tickDueNanos = due;
        sampleTimer = vertx.setTimer(delayMs, t -> {
            sampleTimer = -1;
            if (pace.due(System.nanoTime(), System.currentTimeMillis(), settings, apps.memoryLimited())) {
                sample().onComplete(ar -> armSampling());
            } else {
                armSampling();
            }
        });
    }

    private void cancelTick() {
        if (sampleTimer >= 0) {
            vertx.cancelTimer(sampleTimer);
            sampleTimer = -1;
        }
    }

    private void track(ProcessEvent event) {
        if (event.oldRun()) {
            // a reload's old run: not sampled any more, and its pm_id's new run is left alone
            if (event.pid() != null) {
                groups.remove(event.pid());
            }
            armSampling();
            return;
        }
        groups.values().removeIf(pmId -> pmId == event.pmId());
        ProcessState to = AppWatchdog.stateAfter(event);
        if (event.pid() != null && (to == ProcessState.ONLINE || to == ProcessState.LAUNCHING)) {
            groups.put(event.pid(), event.pmId());
        }
        armSampling();
    }

    /** The last sample if it is younger than the sample interval, else a new one. */
    private Future<MetricsSample> freshSample() {
        if (groups.isEmpty()) {
            return Future.succeededFuture(new MetricsSample(host, System.currentTimeMillis(), List.of()));
        }
        return last != null && pace.fresh(System.nanoTime(), settings) ? Future.succeededFuture(last) : sample();
    }

    /**
     * The daemon's threads, as the kernel counts them (/proc/self/status): every thread of the JVM, the
     * ones `ls /proc/PID/task` shows. Not the JVM's thread bean, whose set-up would be paid
     * by the daemon's first ping at every start (bench/foundation.sh, first command); -1 without /proc.
     */
    private static int threads() {
        BlockingCall.check("a read of /proc/self/status");
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring("Threads:".length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: the figure is unknown
        }
        return -1;
    }

    private Future<MetricsSample> sample() {
        if (sampling != null) {
            return sampling;
        }
        Map<Integer, Integer> snapshot = Map.copyOf(groups);
        Future<MetricsSample> read = vertx.executeBlocking(() -> sampler.sample(snapshot), false)
                .map(usages -> {
                    MetricsSample sample = new MetricsSample(host, System.currentTimeMillis(), usages);
                    pace.sampled(System.nanoTime(), sample.time());
                    last = sample;
                    vertx.eventBus().publish(Addresses.EVENTS_METRICS, Plain.json(sample.toMap()), LocalBus.only());
                    apps.onSample(sample);
                    return sample;
                });
        // the read may be done already (a fast worker): then this runs at once, so return the local
        sampling = read;
        read.onComplete(ar -> sampling = null);
        return read;
    }
}
