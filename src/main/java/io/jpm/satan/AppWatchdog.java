package io.jpm.satan;

import io.jpm.config.WatchdogOptions;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.MetricsSample;
import io.jpm.protocol.ProcessEvent;
import io.jpm.protocol.ProcessState;
import io.jpm.protocol.RunFacts;
import io.jpm.verticle.Plain;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Restarts that pm2 cannot make, or makes late, each decided by one {@link Rule}: a failing health
 * probe ({@link HealthRule}), max_memory_restart at every sample ({@link MemoryRule}),
 * cron_restart ({@link CronRule}), a change of a watched file ({@link WatchRule}), and errored
 * after errored_retry ({@link ErroredRetryRule}). This class follows each pm_id's runs from process
 * events, reads God's {@link RunFacts} when a run comes online and once for an instance that never
 * ran (God tells of one it registered stopped): the rules follow the app's options whatever its
 * state, so a stopped cron job still fires. It sends each restart to God with
 * its reason and the pid of the run it judged, so a run that already ended is never restarted
 * twice. Runs on Satan's event loop.
 */
final class AppWatchdog {
    private static final Logger LOG = Logger.getLogger("jpm.satan");
    /** God answers once the instance is back, after up to its stop's wait before SIGKILL: beyond the bus's 30 s default. */
    private static final long RESTART_TIMEOUT_MS = 120_000;

    private final Vertx vertx;
    private final Map<Integer, Watched> byId = new HashMap<>();
    private final MemoryRule memory;
    private final List<Rule> rules;
    /** Told when a running instance's memory limit is learned: its checks want a sample each interval. */
    private final Runnable limitLearned;

    AppWatchdog(Vertx vertx, Context context, String host, Runnable limitLearned) {
        this.vertx = vertx;
        this.limitLearned = limitLearned;
        Rule.Restarter restarter = this::restart;
        this.memory = new MemoryRule(restarter);
        this.rules = List.of(
                new HealthRule(vertx, host, restarter),
                memory,
                new CronRule(vertx, restarter, this::start),
                new WatchRule(vertx, context, restarter, byId::get),
                new ErroredRetryRule(vertx, restarter),
                new AppMetricsRule(vertx, host));
    }

    void onProcessEvent(ProcessEvent event) {
        if (event.oldRun()) {
            return; // a reload's old run: its pm_id (and what Satan watches) is the new run's now
        }
        ProcessState to = stateAfter(event);
        if (to == null) {
            Watched w = byId.remove(event.pmId());
            if (w != null) {
                rules.forEach(r -> r.forget(w));
            }
            return;
        }
        Watched w = byId.computeIfAbsent(event.pmId(), Watched::new);
        if (event.pid() != null && w.pid != null && !event.pid().equals(w.pid) && to != ProcessState.ONLINE) {
            return; // about a run that is no longer the watched one: its end must not stop the current run's probe
        }
        w.app = event.app();
        w.state = to;
        if (to == ProcessState.ONLINE && event.pid() != null) {
            w.pid = event.pid();
            rules.forEach(r -> r.online(w));
            readFacts(w); // its options may have changed with a new start
        } else if (to != ProcessState.LAUNCHING) {
            w.pid = null;
            rules.forEach(r -> r.ended(w));
            if (!w.known) {
                readFacts(w); // never was online (errored, stopped before ready): its rules hold all the same
            }
        }
    }

    /**
     * An instance God registered without a run (kept stopped by a resurrect, an adoption or a
     * handover; autostart false): no process event tells of it, and its rules hold whatever its
     * state, as they do for one that runs. Events about it that came first know better.
     */
    void onResting(int pmId, String app, ProcessState state) {
        if (byId.containsKey(pmId)) {
            return;
        }
        Watched w = new Watched(pmId);
        w.app = app;
        w.state = state;
        byId.put(pmId, w);
        readFacts(w);
    }

    /** The state an event leads to, null for a deletion. */
    static ProcessState stateAfter(ProcessEvent event) {
        return ProcessEvent.DELETED.equals(event.to()) ? null : ProcessState.fromWord(event.to());
    }

    /** True while a running instance has max_memory_restart: its limit is checked at every sample interval. */
    boolean memoryLimited() {
        for (Watched w : byId.values()) {
            if (w.pid != null && w.options.maxMemoryBytes() > 0) {
                return true;
            }
        }
        return false;
    }

    /** Checks memory limits against a fresh sample. */
    void onSample(MetricsSample sample) {
        memory.onSample(sample, byId::get);
    }

    private void readFacts(Watched w) {
        JsonObject request = new JsonObject().put("pm_id", w.pmId);
        vertx.eventBus().<RunFacts>request(Addresses.INTERNAL_GOD_RUN, request).onComplete(ar -> {
            if (ar.failed() || byId.get(w.pmId) != w) {
                return; // deleted meanwhile
            }
            RunFacts facts = ar.result().body();
            w.known = true;
            w.factsPid = facts.pid();
            w.options = WatchdogOptions.fromJson(Plain.json(facts.watchdog()));
            w.cwd = facts.cwd();
            w.env = facts.env();
            w.port = facts.port();
            rules.forEach(r -> r.applied(w));
            if (w.pid != null && w.options.maxMemoryBytes() > 0) {
                limitLearned.run();
            }
        });
    }

    private void restart(Watched w, Integer pid, String reason) {
        restart(w, pid, reason, false);
    }

    private void start(Watched w, String reason) {
        restart(w, null, reason, true);
    }

    /** @param stoppedToo a stopped instance is started too (pm2's cron); else only one that runs or errored */
    private void restart(Watched w, Integer pid, String reason, boolean stoppedToo) {
        LOG.info(() -> "restarting pm_id " + w.pmId + " (" + w.app + "): " + reason);
        JsonObject body = new JsonObject().put("pm_id", w.pmId).put("pid", pid).put("reason", reason);
        if (stoppedToo) {
            body.put("stopped_too", true);
        }
        vertx.eventBus()
                .request(Addresses.INTERNAL_GOD_RESTART, body, new DeliveryOptions().setSendTimeout(RESTART_TIMEOUT_MS))
                .onFailure(e -> {
                    LOG.warning(() -> "restart of pm_id " + w.pmId + " failed: " + e.getMessage());
                    if (pid != null && pid.equals(w.pid) && byId.get(w.pmId) == w) {
                        rules.forEach(r -> r.judgeAgain(w, pid)); // still the judged run: the others have their own
                    }
                });
    }

    void close() {
        rules.forEach(Rule::close);
    }
}
