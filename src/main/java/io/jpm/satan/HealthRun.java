package io.jpm.satan;

import io.jpm.config.HealthCheck;
import io.jpm.protocol.HealthEvent;
import io.vertx.core.Vertx;
import java.util.Map;

/**
 * One run's health probe: probes every interval, ignores failures in the start period until the
 * first pass, counts failures in a row, and reports each change of verdict; at
 * {@code unhealthy_after} failures it reports unhealthy and stops (the restart starts a new run).
 *
 * <p>Until its first pass a run is booting: it probes every {@link #BOOT_PROBE_MS}, so a balancer
 * waiting for "healthy" (within listen_timeout, 3 s by default) learns it as soon as the app
 * answers rather than one interval later, but it counts at most one failure per interval, so a slow
 * boot is not judged unhealthy sooner than interval x unhealthy_after. Runs on Satan's event loop.
 */
final class HealthRun {
    /** The first probe of a run comes this soon, and the next ones as often until the first pass. */
    static final long BOOT_PROBE_MS = 250;

    /** Where verdicts go. */
    interface Listener {
        void verdict(HealthRun run, String status, String reason);
    }

    final int pid;
    final HealthCheck check;
    private final Vertx vertx;
    private final HealthProbes probes;
    private final Integer port;
    private final String cwd;
    private final Map<String, String> env;
    private final Listener listener;
    private final long startedAt = System.currentTimeMillis();
    /** When a failure was last counted; a booting run counts one per interval. */
    private long countedAt = startedAt;

    private int failures;
    private String verdict;
    private long timer = -1;
    private boolean stopped;

    HealthRun(
            Vertx vertx,
            HealthProbes probes,
            int pid,
            HealthCheck check,
            Integer port,
            String cwd,
            Map<String, String> env,
            Listener listener) {
        this.vertx = vertx;
        this.probes = probes;
        this.pid = pid;
        this.check = check;
        this.port = port;
        this.cwd = cwd;
        this.env = env;
        this.listener = listener;
    }

    void start() {
        schedule(BOOT_PROBE_MS);
    }

    void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void schedule(long delay) {
        timer = vertx.setTimer(delay, t -> probe());
    }

    private void probe() {
        timer = -1;
        probes.probe(check, port, cwd, env).onComplete(ar -> {
            if (stopped) {
                return; // the run ended while probing
            }
            boolean booting = verdict == null;
            long now = System.currentTimeMillis();
            if (ar.succeeded()) {
                failures = 0;
                report(HealthEvent.HEALTHY, check.describe() + ": passed");
                schedule(check.intervalMs());
                return;
            }
            if (booting && (now - startedAt < check.startPeriodMs() || now - countedAt < check.intervalMs())) {
                // still booting: a failure in the start period does not count, and a quick retry only
                // counts once an interval has gone by
                schedule(BOOT_PROBE_MS);
                return;
            }
            countedAt = now;
            if (++failures >= check.unhealthyAfter()) {
                stopped = true;
                report(
                        HealthEvent.UNHEALTHY,
                        "health " + check.describe() + ": " + ar.cause().getMessage() + " (" + failures + " in a row)");
                return;
            }
            schedule(booting ? BOOT_PROBE_MS : check.intervalMs());
        });
    }

    private void report(String status, String reason) {
        if (!status.equals(verdict)) {
            verdict = status;
            listener.verdict(this, status, reason);
        }
    }
}
