package io.jpm.god;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * God's look, once a second, for exited main processes whose pipes something else still holds
 * (the launcher's sweep, {@link SpawnedChildren#sweepZombies}). Its timer runs only while a sweep
 * is due, when the launcher tells when one becomes due (posix_spawn's, from each child's pidfd):
 * armed by that, ended by the first look with nothing due. A launcher that cannot tell has it armed
 * by each spawn and adoption and ended by the first look that finds no child. Either way an idle
 * daemon is not woken every second for nothing (with apps running, a 1 s timer that finds nothing
 * due is most of an idle daemon's CPU). Arms and looks run on God's context, so an arm that
 * races a look's end is ordered after it and arms again.
 */
final class ZombieSweep {
    /** How often exited main processes whose pipes are still held are looked for. */
    static final long PERIOD_MS = 1000;

    private final Vertx vertx;
    private final Context context;
    private final SpawnedChildren children;
    /** The periodic timer, -1 while none runs (God's context only). */
    private long timer = -1;

    ZombieSweep(Vertx vertx, Context context, SpawnedChildren children) {
        this.vertx = vertx;
        this.context = context;
        this.children = children;
    }

    /** A child was spawned or adopted (any thread): looks from now on, if not already. */
    void arm() {
        context.runOnContext(v -> {
            if (timer < 0) {
                timer = vertx.setPeriodic(PERIOD_MS, t -> look());
            }
        });
    }

    private void look() {
        if (!children.sweepWanted()) {
            end();
            return;
        }
        if (children.sweepDue()) { // else no worker is woken for nothing
            vertx.executeBlocking(
                    () -> {
                        children.sweepZombies();
                        return null;
                    },
                    false);
        }
    }

    private void end() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
