package io.jpm.god;

import io.jpm.verticle.Generation;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * God's look, once a second, for exited main processes whose pipes something else still holds
 * (the launcher's sweep, {@link SpawnedChildren#sweepZombies}). Its timer runs only while a sweep
 * is due, when the launcher tells when one becomes due (posix_spawn's, from each child's pidfd):
 * armed by that, ended by the first look with nothing due. A launcher that cannot tell has it armed
 * by each spawn and adoption and ended by the first look that finds no child. Either way an idle
 * daemon is not woken every second for nothing (issue 31: idle wake-ups; with apps running, two
 * 1 s timers made most of an idle daemon's CPU). Arms and looks run on God's context, so an arm that
 * races a look's end is ordered after it and arms again.
 */
final class ZombieSweep {
    /** How often exited main processes whose pipes are still held are looked for. */
    static final long PERIOD_MS = 1000;

    private final Vertx vertx;
    private final Context context;
    private final SpawnedChildren children;
    private final Generation generation;
    /** The periodic timer, -1 while none runs (God's context only). */
    private long timer = -1;
    /** Set when a fresh God took over: this one's timer never runs again (God's context only). */
    private boolean stopped;

    ZombieSweep(Vertx vertx, Context context, SpawnedChildren children, Generation generation) {
        this.vertx = vertx;
        this.context = context;
        this.children = children;
        this.generation = generation;
    }

    /** A child was spawned or adopted (any thread): looks from now on, if not already. */
    void arm() {
        context.runOnContext(v -> {
            if (timer < 0 && !stopped) {
                timer = vertx.setPeriodic(PERIOD_MS, t -> look());
            }
        });
    }

    /** A fresh God took over (any thread): its own sweep looks from now on. */
    void stop() {
        context.runOnContext(v -> {
            stopped = true;
            end();
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
                        if (generation.current()) {
                            children.sweepZombies();
                        }
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
