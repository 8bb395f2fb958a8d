package io.jpm.daemon;

import io.jpm.config.SatanSettings;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.ProcessEnd;
import io.jpm.verticle.Reply;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * The daemon's one answer to a hang (docs/ARCHITECTURE.md, "A hang"): a tick every period of
 * {@link HangCheck} looks at every Vert.x thread, and when one task has held one past jpm.json's
 * {@code satan.hang_timeout}, the daemon writes a thread dump to daemon.log and halts with
 * {@link #EXIT_CODE}, its shutdown hook not run (it would stop every app). The keeper then starts
 * the next daemon, which adopts every app as after a {@code kill -9}. Nothing is repaired in place.
 *
 * <p>The ticks run on Vert.x's acceptor event loop ({@link AcceptorContext}), where no verticle
 * runs: no thread of its own, and a stuck verticle cannot hold them up. Vert.x's own blocked-thread
 * checker would do the looking from a thread of its own (the daemon closes it, DaemonMain), with its
 * time limit fixed when Vert.x is made, and would count a stopped daemon's time against the task it
 * stopped in.
 *
 * <p>It also answers {@link Addresses#INTERNAL_DAEMON_BUSY}: how long each verticle's current task
 * has held its thread, which {@code jpm ping} shows.
 */
final class HangWatch {
    private static final Logger LOG = Logger.getLogger("jpm.daemon");
    /** The daemon's exit code after a hang (sysexits' EX_SOFTWARE): the keeper logs it and starts the next one. */
    static final int EXIT_CODE = ProcessEnd.Code.HUNG.status;
    /** How long the dump may take to write before the daemon halts without it (daemon.log on a disk that hangs too). */
    private static final long DUMP_WAIT_MS = 10_000;
    /** A verticle whose task has held its thread this long is "busy" in {@code jpm ping}. */
    static final long BUSY_MS = 1000;

    private final Vertx vertx;
    // Vert.x internal: a context on the acceptor loop (AcceptorContext), where no verticle runs; no public API
    // gives one, and without it the ticks would share a loop a hung verticle can hold
    private final Context context;
    private final VertxThreads threads;
    /** The acceptor loop's only: the check, its timeout and its timer. */
    private HangCheck check;

    private long timeoutMs;
    private long timer = -1;
    private boolean exiting;
    /** The longest task the ticks have seen under way since the daemon started (any timeout); null before any. */
    private HangCheck.Hang longest;

    HangWatch(Vertx vertx, VertxThreads threads) {
        this.vertx = vertx;
        this.context = AcceptorContext.of(vertx);
        this.threads = threads;
    }

    /** Starts checking with jpm.json's satan section as read at start; a new one published later applies at once. */
    void start(JsonObject satanSection) {
        context.runOnContext(v -> {
            apply(SatanSettings.from(satanSection).hangTimeoutMs());
            vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_SETTINGS, m -> {
                if (m.body() != null && m.body().containsKey("satan")) {
                    apply(SatanSettings.from(m.body().getJsonObject("satan")).hangTimeoutMs());
                }
            });
            vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_DAEMON_BUSY, m -> m.reply(Reply.ok(busy())));
        });
    }

    private void apply(long ms) {
        if (ms == timeoutMs || exiting) {
            return;
        }
        timeoutMs = ms;
        check = new HangCheck(ms, System.nanoTime());
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        arm();
        LOG.info(() -> "hang check: a task holding a thread for " + ms + " ms ends the daemon (checked every "
                + check.periodMs() + " ms)");
    }

    private void arm() {
        timer = vertx.setTimer(check.periodMs(), t -> tick());
    }

    private void tick() {
        timer = -1;
        HangCheck.Verdict verdict = check.tick(System.nanoTime(), threads.tasks());
        HangCheck.Hang seen = check.longest();
        if (seen != null && (longest == null || seen.heldMs() > longest.heldMs())) {
            longest = seen;
        }
        if (verdict.lateMs() > 0) {
            LOG.info(() -> "hang check: a tick came " + verdict.lateMs() + " ms late (the daemon was stopped or starved"
                    + " of CPU): that time is not counted against any task");
        }
        if (verdict.hang() != null) {
            exit(verdict.hang());
        } else {
            arm();
        }
    }

    /** Writes the dump on a thread of its own (it may block where the hang does) and halts; halts anyway later. */
    private void exit(HangCheck.Hang hang) {
        exiting = true;
        HangCheck.Task task = hang.task();
        String about = "hang: " + task.thread() + (task.verticle() == null ? "" : " (" + task.verticle() + ")")
                + " has run one task for " + hang.heldMs() + " ms, past hang_timeout (" + timeoutMs + " ms): the"
                + " daemon exits (code " + EXIT_CODE + ") without stopping any app, and its keeper starts the next"
                + " daemon, which adopts them. Threads now:";
        Map<String, String> words = taskWords(threads.tasks(), System.nanoTime());
        Thread writer = new Thread(
                () -> {
                    try {
                        LOG.severe(ThreadDump.of(task.thread(), about, words::get));
                        for (Handler handler : Logger.getLogger("").getHandlers()) {
                            handler.flush();
                        }
                    } finally {
                        ProcessEnd.halt(ProcessEnd.Code.HUNG);
                    }
                },
                "jpm-hang-exit");
        writer.setDaemon(true);
        writer.start();
        // without a word: logging may be what blocks (its handler's lock held by a stuck write)
        vertx.setTimer(DUMP_WAIT_MS, t -> ProcessEnd.halt(ProcessEnd.Code.HUNG));
    }

    /** "task for 61234 ms (god)" by thread name, for the threads running one. */
    private static Map<String, String> taskWords(List<HangCheck.Task> tasks, long now) {
        Map<String, String> words = new HashMap<>();
        for (HangCheck.Task t : tasks) {
            if (t.running()) {
                words.put(
                        t.thread(),
                        "task for " + (now - t.startNanos()) / 1_000_000 + " ms"
                                + (t.verticle() == null ? "" : " (" + t.verticle() + ")"));
            }
        }
        return words;
    }

    /**
     * {"hangTimeoutMs":N,"verticles":{"god":{"status":"ok|busy","busyMs":N},..},"longestTask":{"ms":N,
     * "verticle":..,"thread":..}}: each named verticle's longest current task (as Vert.x measures it,
     * from its start), "busy" from {@link #BUSY_MS}; the longest task the ticks have seen under way
     * since the start (null before any).
     */
    private JsonObject busy() {
        long now = System.nanoTime();
        Map<String, Long> busiest = new HashMap<>();
        threads.names().forEach(name -> busiest.put(name, 0L));
        for (HangCheck.Task t : threads.tasks()) {
            if (t.running() && t.verticle() != null) {
                busiest.merge(t.verticle(), Math.max(0, (now - t.startNanos()) / 1_000_000), Math::max);
            }
        }
        JsonObject verticles = new JsonObject();
        busiest.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> verticles.put(
                        e.getKey(),
                        new JsonObject()
                                .put("status", e.getValue() >= BUSY_MS ? "busy" : "ok")
                                .put("busyMs", e.getValue())));
        JsonObject longestTask = longest == null
                ? null
                : new JsonObject()
                        .put("ms", longest.heldMs())
                        .put("verticle", longest.task().verticle())
                        .put("thread", longest.task().thread());
        return new JsonObject()
                .put("hangTimeoutMs", timeoutMs)
                .put("verticles", verticles)
                .put("longestTask", longestTask);
    }
}
