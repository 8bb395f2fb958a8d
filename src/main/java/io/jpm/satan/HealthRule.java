package io.jpm.satan;

import io.jpm.config.HealthCheck;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.HealthEvent;
import io.jpm.verticle.LocalBus;
import io.jpm.verticle.Plain;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Health probes: one {@link HealthRun} per judged run, its verdicts published on
 * {@link Addresses#EVENTS_HEALTH}; an unhealthy verdict restarts the run.
 */
final class HealthRule implements Rule {
    private static final Logger LOG = Logger.getLogger("jpm.satan");

    private final Vertx vertx;
    private final String host;
    private final Restarter restarter;
    private final HealthProbes probes;
    private final Map<Integer, HealthRun> runs = new HashMap<>();

    HealthRule(Vertx vertx, String host, Restarter restarter) {
        this.vertx = vertx;
        this.host = host;
        this.restarter = restarter;
        this.probes = new HealthProbes(vertx);
    }

    @Override
    public void applied(Watched w) {
        if (w.factsAreForCurrentRun()) {
            start(w, w.pid);
        }
    }

    @Override
    public void ended(Watched w) {
        stop(w);
    }

    @Override
    public void judgeAgain(Watched w, int pid) {
        start(w, pid);
    }

    @Override
    public void forget(Watched w) {
        stop(w);
    }

    @Override
    public void close() {
        probes.close();
    }

    private void start(Watched w, int pid) {
        stop(w);
        HealthCheck check = w.options.health();
        if (check != null) {
            HealthRun run = new HealthRun(
                    vertx,
                    probes,
                    pid,
                    check,
                    w.port,
                    w.cwd,
                    w.env,
                    (r, status, reason) -> verdict(w, r, status, reason));
            runs.put(w.pmId, run);
            run.start();
        }
    }

    private void verdict(Watched w, HealthRun run, String status, String reason) {
        if (runs.get(w.pmId) != run) {
            return; // a run that was replaced meanwhile
        }
        LOG.info(() -> "pm_id " + w.pmId + " (" + w.app + ") is " + status + ": " + reason);
        vertx.eventBus()
                .publish(
                        Addresses.EVENTS_HEALTH,
                        Plain.json(new HealthEvent(
                                        w.app, w.pmId, run.pid, status, reason, System.currentTimeMillis(), host)
                                .toMap()),
                        LocalBus.only());
        if (HealthEvent.UNHEALTHY.equals(status)) {
            restarter.restart(w, run.pid, "unhealthy: " + reason);
        }
    }

    private void stop(Watched w) {
        HealthRun run = runs.remove(w.pmId);
        if (run != null) {
            run.stop();
        }
    }
}
