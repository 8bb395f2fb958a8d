package io.jpm.satan;

import io.jpm.protocol.ProcessState;
import io.vertx.core.Vertx;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * cron_restart: at each firing of the app's expression an online run is restarted, and a stopped
 * or errored instance started, as pm2's cron does (it restarts the pm_id whatever its state; a
 * stop leaves the cron on, which pm2 says when it stops such an app). Only a delete ends it.
 */
final class CronRule implements Rule {
    /** Where the instance rests: pm2's restart of it is a start. */
    private static final Set<ProcessState> RESTING = EnumSet.of(ProcessState.STOPPED, ProcessState.ERRORED);

    private final Vertx vertx;
    private final Restarter restarter;
    private final Starter starter;
    private final Map<Integer, CronRestart> crons = new HashMap<>();

    CronRule(Vertx vertx, Restarter restarter, Starter starter) {
        this.vertx = vertx;
        this.restarter = restarter;
        this.starter = starter;
    }

    @Override
    public void applied(Watched w) {
        String expression = w.options.cronRestart();
        CronRestart current = crons.get(w.pmId);
        if (Objects.equals(expression, current == null ? null : current.expression)) {
            return;
        }
        forget(w);
        if (expression != null) {
            CronRestart cron = new CronRestart(vertx, expression, () -> {
                String reason = "cron_restart '" + expression + "'";
                if (w.state == ProcessState.ONLINE && w.pid != null) {
                    restarter.restart(w, w.pid, reason);
                } else if (RESTING.contains(w.state)) {
                    starter.start(w, reason);
                }
            });
            crons.put(w.pmId, cron);
            cron.start();
        }
    }

    @Override
    public void forget(Watched w) {
        CronRestart cron = crons.remove(w.pmId);
        if (cron != null) {
            cron.stop();
        }
    }
}
