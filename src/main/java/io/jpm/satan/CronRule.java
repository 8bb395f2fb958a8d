package io.jpm.satan;

import io.jpm.process.ProcessState;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** cron_restart: an online run is restarted at each firing of the app's expression. */
final class CronRule implements Rule {
  private final Vertx vertx;
  private final Restarter restarter;
  private final Map<Integer, CronRestart> crons = new HashMap<>();

  CronRule(Vertx vertx, Restarter restarter) {
    this.vertx = vertx;
    this.restarter = restarter;
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
        if (w.state == ProcessState.ONLINE && w.pid != null) {
          restarter.restart(w, w.pid, "cron_restart '" + expression + "'");
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
