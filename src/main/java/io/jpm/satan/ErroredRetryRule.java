package io.jpm.satan;

import io.jpm.protocol.ProcessState;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;

/** errored_retry: an instance left errored is started again after the app's delay. */
final class ErroredRetryRule implements Rule {
    private final Vertx vertx;
    private final Restarter restarter;
    private final Map<Integer, Long> timers = new HashMap<>();

    ErroredRetryRule(Vertx vertx, Restarter restarter) {
        this.vertx = vertx;
        this.restarter = restarter;
    }

    @Override
    public void online(Watched w) {
        forget(w);
    }

    @Override
    public void applied(Watched w) {
        schedule(w);
    }

    @Override
    public void ended(Watched w) {
        if (w.known) {
            schedule(w); // not known yet: the facts being read will call applied
        }
    }

    @Override
    public void forget(Watched w) {
        Long timer = timers.remove(w.pmId);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }

    private void schedule(Watched w) {
        long after = w.options.erroredRetryMs();
        if (w.state != ProcessState.ERRORED || after <= 0 || timers.containsKey(w.pmId)) {
            return;
        }
        timers.put(w.pmId, vertx.setTimer(after, t -> {
            timers.remove(w.pmId);
            if (w.state == ProcessState.ERRORED) {
                restarter.restart(w, null, "errored_retry after " + after + " ms");
            }
        }));
    }
}
