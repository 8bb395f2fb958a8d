package io.jpm.daemon;

import io.jpm.internals.VertxInternals;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * Keeps every Netty event loop of the daemon's Vert.x from waking once a second for nothing: an
 * idle daemon's CPU. Netty 4.2 waits in epoll (or a selector) until its next scheduled task, and a loop
 * whose calendar is empty waits one second at a time: {@code SingleThreadEventExecutor.deadlineNanos()}
 * is "now + 1 s" then (its SCHEDULE_PURGE_INTERVAL). Measured on an idle daemon after 200 apps were
 * deleted: the loop with no timer of its own woke 1.2 times a second, the one holding the heap look's
 * 5 s timer 0.2 times (strace of each loop's epoll_pwait2 timeouts). A task a day ahead on each loop,
 * doing nothing, is a calendar that is never empty: the loop then sleeps until a descriptor or a real
 * timer wakes it, and the day's task costs one wake-up a day.
 */
final class QuietEventLoops {
    /** Far enough that its own wake-ups do not count; the task re-arms itself at this rate. */
    static final long PERIOD_HOURS = 24;

    private QuietEventLoops() {}

    /** Arms the day's task on every event loop and on the acceptor loop. */
    static void quiet(Vertx vertx) {
        // Vert.x internal: the Netty loops themselves (no public API lists them); without it every idle
        // loop wakes once a second
        quiet(VertxInternals.eventLoops(vertx));
        quiet(VertxInternals.acceptorLoops(vertx));
    }

    static void quiet(EventLoopGroup loops) {
        for (EventExecutor loop : loops) {
            loop.scheduleAtFixedRate(QuietEventLoops::nothing, PERIOD_HOURS, PERIOD_HOURS, TimeUnit.HOURS);
        }
    }

    private static void nothing() {
        // its being on the calendar is the point
    }
}
