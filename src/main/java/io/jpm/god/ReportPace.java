package io.jpm.god;

import io.jpm.process.AppChannels;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How often the Node apps' metrics preload (jpm-metrics.js) reports: every second while someone
 * watches the figures, every {@link #IDLE_MS} otherwise. Each report is a read and a wake-up of the
 * daemon, per app: at one a second, 20 idle Node apps kept the daemon at ~0.33 % of a core for figures
 * nobody read (docs/BENCHMARKS.md, "Code metrics"). Someone watches while a door has a follower of
 * {@code jpm.events.metrics} (jpm monit, the dashboard, a SockJS or bridge client, /api/events), and
 * for {@link #HOLD_MS} after a query that returns the figures (jlist, describe, a /metrics scrape:
 * {@link #watched}). The pace goes to each run over its channel as {@code {"cmd":"NODE_JPM_METRICS",
 * "every_ms":N}}, which Node hands to the preload's 'internalMessage' listener, never to the app's
 * 'message' ones: to every run when it changes, and to each run that comes online.
 * God's event loop.
 */
final class ReportPace {
    /** What the preload sends with nobody watching (its IDLE_EVERY ticks of a second). */
    static final long IDLE_MS = 10_000;

    static final long WATCHED_MS = 1_000;
    /**
     * How long a query keeps the pace fast: a person's next describe or jlist, a script polling every
     * few seconds and a scrape every 15 s (Prometheus's usual) all find reports a second old.
     */
    static final long HOLD_MS = 30_000;

    static final String PACE = "NODE_JPM_METRICS";

    private final Vertx vertx;
    private final ProcessTable table;
    private final LongSupplier millis;
    /** Followers of jpm.events.metrics, each door's own count ("bridge", "web", "cluster"). */
    private final Map<String, Integer> followers = new HashMap<>();

    private long watchedUntil;
    private boolean fast;
    private long timer = -1;

    ReportPace(Vertx vertx, ProcessTable table, LongSupplier millis) {
        this.vertx = vertx;
        this.table = table;
        this.millis = millis;
    }

    /** A door's count, from a {@code jpm.internal.metrics.followers} message. */
    void told(JsonObject message) {
        followers.put(message.getString("source", "bridge"), Math.max(0, message.getInteger("count", 0)));
        settle();
    }

    /** A query that returns the figures: fast for {@link #HOLD_MS} from now. */
    void watched() {
        watchedUntil = millis.getAsLong() + HOLD_MS;
        settle();
    }

    /**
     * A run came online: it hears the pace now. A new run starts at the idle pace by itself; one a
     * previous daemon spawned and this one adopted keeps the pace that daemon last told it, which may
     * be the fast one.
     */
    void online(Instance instance) {
        tell(instance, fast ? WATCHED_MS : IDLE_MS);
    }

    boolean fast() {
        return fast;
    }

    private void settle() {
        long left = watchedUntil - millis.getAsLong();
        boolean now = left > 0 || followers.values().stream().anyMatch(n -> n > 0);
        if (left > 0 && timer < 0) {
            timer = vertx.setTimer(left, t -> {
                timer = -1;
                settle(); // a query meanwhile moved the end: a timer for what is left
            });
        }
        if (now != fast) {
            fast = now;
            for (Instance instance : table.all()) {
                tell(instance, now ? WATCHED_MS : IDLE_MS);
            }
        }
    }

    private static void tell(Instance instance, long everyMs) {
        AppChannels.Channel channel = instance.channel();
        if (channel != null
                && instance.config().isNode()
                && instance.config().ecosystem().pmx()) {
            channel.sendJson(
                    new JsonObject().put("cmd", PACE).put("every_ms", everyMs).encode());
        }
    }
}
