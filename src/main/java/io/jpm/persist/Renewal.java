package io.jpm.persist;

import io.jpm.keeper.KeeperScript;
import io.jpm.launcher.NativeHeap;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.Build;
import io.jpm.protocol.JpmEnv;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.ProcessEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * A fresh daemon once a burst is over ({@link BurstWatch}), nothing has changed for {@link #QUIET_MS}
 * and nobody follows anything through a door: this daemon hands its apps over as {@code jpm update}
 * does (the handover, the history and the alerts written, then its keeper starts the same daemon
 * command, which adopts every run with its pid) and takes with it what the burst left in its JVM
 * (docs/BENCHMARKS.md, "RSS 60 s after 1,000 deleted"). The crash-only path, on purpose: the next
 * daemon starts from its files as it would after a crash. jpm.json's {@code persist.renew_after_burst:
 * false} turns it off. Not in a cluster (the members would see this host leave and join again), and
 * not once the jar or the keeper script on disk is another build's: that would be an update nobody
 * asked for.
 */
final class Renewal {
    private static final Logger LOG = Logger.getLogger("jpm.persist");
    /** No process event for this long: the burst is over, not paused between two commands of a script. */
    static final long QUIET_MS = 10_000;
    /** JPM_TUNING=0: a renewal is memory tuning, off with the rest of it (daemon.DaemonVertx). */
    private static final boolean TUNING_OFF = JpmEnv.TUNING.off();

    private final Vertx vertx;
    private final JpmHome home;
    private final BurstWatch watch;
    private final long quietMs;
    private final BooleanSupplier wanted;
    /** Persistence's update: {"script","command","renew":true} in, {"adopt":bool,"why"} out. */
    private final Function<JsonObject, Future<JsonObject>> update;

    private long timer = -1;
    private boolean clustered;
    /** This burst's renewal was tried (or said to be off): once per burst. */
    private boolean tried;
    /** Said that followers hold this burst's renewal back. */
    private boolean toldFollowed;

    Renewal(
            Vertx vertx,
            JpmHome home,
            BurstWatch watch,
            long quietMs,
            BooleanSupplier wanted,
            Function<JsonObject, Future<JsonObject>> update) {
        this.vertx = vertx;
        this.home = home;
        this.watch = watch;
        this.quietMs = quietMs;
        this.wanted = wanted;
        this.update = update;
    }

    /** With the environment's figures for tests in place of the constants (docs/CONFIG.md). */
    static Renewal of(
            Vertx vertx, JpmHome home, BooleanSupplier wanted, Function<JsonObject, Future<JsonObject>> update) {
        BurstWatch watch = new BurstWatch((int) envOr(JpmEnv.RENEW_MIN_DROP, BurstWatch.MIN_DROP));
        return new Renewal(vertx, home, watch, envOr(JpmEnv.RENEW_QUIET_MS, QUIET_MS), wanted, update);
    }

    /** A value that is not a whole number is named in daemon.log and the constant stands. */
    private static long envOr(JpmEnv variable, long fallback) {
        String value = variable.value();
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            LOG.warning(variable.variable + "=" + value + " is not a whole number: " + fallback + " instead");
            return fallback;
        }
    }

    /** Process events, and the doors' counts of followers (published on change, from 0 at their start). */
    void start() {
        vertx.eventBus().<JsonObject>localConsumer(Addresses.EVENTS_PROCESS, m -> onEvent(m.body()));
        vertx.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.INTERNAL_METRICS_FOLLOWERS, m -> followers("metrics", m.body(), ""));
        vertx.eventBus()
                .<JsonObject>localConsumer(Addresses.INTERNAL_LOGS_LISTENERS, m -> followers("logs", m.body(), ""));
        vertx.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.INTERNAL_CLUSTER_FOLLOWS,
                        m -> followers("events", m.body(), m.body().getString("address", "")));
    }

    /** The instances God has once the start's adoption is done; events since are counted already. */
    void seed() {
        vertx.eventBus()
                .<JsonObject>request(Addresses.INTERNAL_GOD_APPS, new JsonObject().put("instances", true))
                .onSuccess(reply -> {
                    List<Integer> pmIds = reply.body().getJsonArray("data", new JsonArray()).stream()
                            .flatMap(app -> ((JsonObject) app).getJsonArray("instances", new JsonArray()).stream())
                            .map(instance -> ((JsonObject) instance).getInteger("pm_id"))
                            .toList();
                    watch.known(pmIds);
                });
    }

    /** The settings' cluster section: a clustered daemon is not renewed. */
    void clustered(boolean clustered) {
        this.clustered = clustered;
    }

    private void onEvent(JsonObject body) {
        ProcessEvent event = ProcessEvent.from(body.getMap());
        if (event.oldRun() || event.pmId() < 0) {
            return; // a reload's old run: its pm_id is the new run's
        }
        watch.event(event.pmId(), ProcessEvent.DELETED.equals(event.to()));
        changed();
    }

    private void followers(String kind, JsonObject body, String address) {
        watch.followers(kind + " " + body.getString("source", "") + " " + address, body.getInteger("count", 0));
        changed();
    }

    /** The settings changed: a renewal said to be off is looked at again. */
    void settingsChanged() {
        tried = false;
        changed();
    }

    /** Waits {@link #quietMs} from the last change (an event, a follower more or less) while a burst is over. */
    private void changed() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        if (!watch.over()) {
            tried = false;
            toldFollowed = false;
        } else if (!tried) {
            timer = vertx.setTimer(quietMs, t -> {
                timer = -1;
                quiet();
            });
        }
    }

    private String whyNot() {
        if (clustered) {
            return "it is in a cluster";
        }
        return TUNING_OFF ? "JPM_TUNING=0" : "jpm.json's persist.renew_after_burst is false";
    }

    private void quiet() {
        if (watch.followed()) {
            // their streams would be cut: the count's next change (the last one leaving) looks again
            if (!toldFollowed) {
                toldFollowed = true;
                LOG.info(() -> burst() + ": the daemon is renewed once nobody follows logs, figures or events"
                        + " through a door");
            }
            return;
        }
        tried = true;
        if (!wanted.getAsBoolean() || clustered || TUNING_OFF) {
            LOG.info(() -> burst() + ": not renewing the daemon (" + whyNot() + ")");
            return;
        }
        vertx.executeBlocking(this::ownStart, false)
                .compose(start -> {
                    LOG.info(() -> burst() + ", RSS " + start.getString("rss") + ", and nobody follows:"
                            + " a fresh daemon adopts every app (jpm.json's persist.renew_after_burst)");
                    return update.apply(start.put("renew", true));
                })
                .onSuccess(reply -> {
                    if (!reply.getBoolean("adopt", false)) {
                        LOG.info("not renewing the daemon: " + reply.getString("why"));
                    }
                })
                .onFailure(e -> LOG.info("not renewing the daemon: " + e.getMessage()));
    }

    private String burst() {
        return "a burst is over (" + watch.instances() + " instances, " + watch.peak() + " at the peak)";
    }

    /**
     * The keeper script and this daemon's command as its keeper started them; fails when either on
     * disk is no longer this build's.
     */
    private JsonObject ownStart() throws IOException {
        JsonObject ready = new JsonObject(Files.readString(home.daemonJson()));
        String stamp = Build.jarStamp();
        if (stamp == null || !stamp.equals(ready.getString("jarStamp"))) {
            throw new IOException("the jar on disk changed since this daemon started (jpm update starts it)");
        }
        Path script = home.keeperScript();
        if (!Files.isRegularFile(script) || !KeeperScript.script().equals(Files.readString(script))) {
            throw new IOException("the keeper script " + script + " is another build's");
        }
        byte[] cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        List<String> command = Arrays.asList(new String(cmdline, StandardCharsets.UTF_8).split("\0"));
        long rss = NativeHeap.rss();
        return new JsonObject()
                .put("script", script.toString())
                .put("command", new JsonArray(command))
                .put("rss", rss < 0 ? "unknown" : String.format("%.1f MiB", rss / 1048576.0));
    }
}
