package io.jpm.satan;

import com.cronutils.model.Cron;
import io.jpm.config.CronExpressions;
import io.vertx.core.Vertx;
import java.time.ZonedDateTime;
import java.util.logging.Logger;

/**
 * One instance's cron_restart: a timer to the next firing, set again after each one. The
 * expression is parsed on a worker (the first use loads cron-utils). Runs on Satan's event loop.
 */
final class CronRestart {
    private static final Logger LOG = Logger.getLogger("jpm.satan");

    final String expression;
    private final Vertx vertx;
    private final Runnable fire;
    private long timer = -1;
    private boolean stopped;

    CronRestart(Vertx vertx, String expression, Runnable fire) {
        this.vertx = vertx;
        this.expression = expression;
        this.fire = fire;
    }

    void start() {
        vertx.executeBlocking(() -> CronExpressions.parse(expression), false)
                .onSuccess(this::scheduleNext)
                .onFailure(e -> LOG.warning(() -> "cron_restart '" + expression + "': " + e.getMessage()));
    }

    void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void scheduleNext(Cron cron) {
        if (stopped) {
            return;
        }
        // +1 ms: a timer may fire a hair early, and the next firing is then still this one
        CronExpressions.untilNext(cron, ZonedDateTime.now())
                .ifPresent(delay -> timer = vertx.setTimer(Math.max(1, delay.toMillis() + 1), t -> {
                    timer = -1;
                    if (!stopped) {
                        fire.run();
                        scheduleNext(cron);
                    }
                }));
    }
}
