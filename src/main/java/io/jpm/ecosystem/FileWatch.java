package io.jpm.ecosystem;

import io.jpm.internals.ContextInternals;
import io.jpm.launcher.DirectoryEvents;
import io.jpm.protocol.BlockingCall;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One watched file, read through vertx-config's file store ({@link StatFirstFileStore}: read again
 * only when a stat says it changed). The text is read raw, so jpm validates it itself: vertx-config's
 * JSON format would swallow a malformed edit. The store is never optional: a missing file is an error.
 * Its classes load only when the first file is watched.
 *
 * <p>When to look: on its folder's events (inotify, {@link DirectoryEvents}) that name the file, and
 * otherwise every {@link #SAFETY_SCAN_MS}; every scan period when the events cannot be had. A look
 * a second at each watched file would be an idle daemon's main work once apps run from a file. The
 * events are used only for a path with no symbolic link in it: inotify watches the folder a link
 * pointed at when watched, and a link switched later (a release's {@code current}) would never be
 * seen. The slow look catches what events cannot tell: a file system written from another host, a
 * folder above renamed. An editor's save by rename is seen either way: the file is looked at by its
 * path.
 */
final class FileWatch {
    private static final Logger LOG = Logger.getLogger("jpm.config");
    private static final String KEY = "text";
    /**
     * How often a file whose folder's events are followed is looked at all the same: a local edit comes
     * as an event at once, and what events miss (below) may wait a minute; each look wakes an idle daemon.
     */
    static final long SAFETY_SCAN_MS = 60_000;
    /** One save is several events (created, written, renamed, attributes): one look after them. */
    static final long SETTLE_MS = 50;
    /**
     * Each watch takes an inotify instance of the user's (128 by default, shared with the apps):
     * beyond these many files, the rest are scanned.
     */
    static final int MOST_FOLDER_WATCHES = 16;

    private static final AtomicInteger FOLDER_WATCHES = new AtomicInteger();

    // internal for dispatch (ContextInternals.dispatch): vertx-config's retriever made on the scans' context
    // at once, so it looks there (runOnContext would make it later, after the first look)
    private final Context scans;
    private final Path path;
    private final long scanPeriodMs;
    private final Consumer<String> onChange;
    private final Consumer<Throwable> onReadFailure;
    private final Runnable onRead;
    private final BooleanSupplier alive;
    private final ConfigRetriever retriever;

    /* The rest is the scans' context's only. */
    /** The last text read, which a new one is told against; null before any read succeeded. */
    private String last;
    /** Whether the last read failed: the callbacks hear of a change of it only, not of every look. */
    private boolean failing;

    private DirectoryEvents events;
    private long timer = -1;
    private boolean lookSoon;
    /** Looks start once the first read is in; an event before that is looked at right after it. */
    private boolean started;

    private boolean eventBeforeStart;
    private boolean closed;

    /**
     * @param scans where the looks run (a worker context, never an event loop: a look stats and reads the
     *     file; {@link ConfigWatcherVerticle}); the callbacks are called there too. The watch may be made from any thread.
     * @param onChange the file's new text, each time it differs from the last text read
     * @param onReadFailure a look that cannot read the file (deleted, unreadable) after one that could
     * @param onRead a look that read it after one that could not
     * @param alive false once the watcher is stopped (its looks do not run on its own context, so
     *     nothing else ends them); the next look closes the watch
     */
    FileWatch(
            Context scans,
            Vertx vertx,
            String path,
            long scanPeriodMs,
            Consumer<String> onChange,
            Consumer<Throwable> onReadFailure,
            Runnable onRead,
            BooleanSupplier alive) {
        this.scans = scans;
        this.path = Path.of(path);
        this.scanPeriodMs = scanPeriodMs;
        this.onChange = onChange;
        this.onReadFailure = onReadFailure;
        this.onRead = onRead;
        this.alive = alive;
        ConfigStoreOptions store = new ConfigStoreOptions()
                .setType(StatFirstFileStore.TYPE)
                .setFormat("raw")
                .setOptional(false)
                .setConfig(
                        new JsonObject().put("path", path).put("raw.key", KEY).put("raw.type", "string"));
        // no scans of its own (period 0): this class says when to read
        ConfigRetrieverOptions options = new ConfigRetrieverOptions()
                .setIncludeDefaultStores(false)
                .setScanPeriod(0)
                .addStore(store);
        ConfigRetriever[] made = new ConfigRetriever[1];
        ContextInternals.dispatch(scans, v -> made[0] = ConfigRetriever.create(vertx, options));
        retriever = made[0];
    }

    /**
     * The text as first read: the baseline later changes are reported against. The folder's events are
     * followed before that read, so an edit made while it runs is an event seen after it, not lost.
     */
    Future<String> initial() {
        Promise<String> first = Promise.promise();
        scans.runOnContext(v -> {
            followFolder();
            retriever.getConfig().map(json -> json.getString(KEY, "")).onComplete(read -> {
                if (read.succeeded()) {
                    last = read.result();
                } else {
                    failing = true; // the state the next looks are told against
                }
                started = true;
                if (eventBeforeStart) {
                    eventSeen(false);
                } else {
                    schedule();
                }
                first.handle(read);
            });
        });
        return first.future();
    }

    Future<Void> close() {
        scans.runOnContext(v -> end());
        return retriever.close();
    }

    /** Follows the folder's events when the path holds no link and an instance is to be had. */
    private void followFolder() {
        if (events != null || closed || !linkFree()) {
            return;
        }
        if (FOLDER_WATCHES.incrementAndGet() > MOST_FOLDER_WATCHES) {
            FOLDER_WATCHES.decrementAndGet();
            return;
        }
        String name = path.getFileName().toString();
        try {
            events = DirectoryEvents.watch(path.getParent(), changed -> {
                if (changed == null || changed.equals(name) || changed.equals(DirectoryEvents.THE_FOLDER)) {
                    scans.runOnContext(v -> eventSeen(changed == null));
                }
            });
        } catch (IOException | RuntimeException | LinkageError e) {
            FOLDER_WATCHES.decrementAndGet();
            LOG.fine(() -> path + " is looked at every " + scanPeriodMs + " ms: " + e.getMessage());
        }
    }

    private boolean linkFree() {
        BlockingCall.check("a look at the links of " + path);
        try {
            Path absolute = path.toAbsolutePath().normalize();
            return absolute.getParent() != null
                    && !Files.isSymbolicLink(absolute)
                    && absolute.getParent().toRealPath().equals(absolute.getParent());
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** @param lost the kernel dropped events or the folder went: the events may be over */
    private void eventSeen(boolean lost) {
        if (lost) {
            stopFollowing(); // the next look follows the folder at its path anew, if it is there
        }
        if (!started) {
            eventBeforeStart = true;
            return;
        }
        if (!lookSoon && !closed) {
            lookSoon = true;
            cancelTimer();
            timer = scans.owner().setTimer(SETTLE_MS, t -> look());
        }
    }

    private void schedule() {
        if (!closed) {
            cancelTimer();
            timer = scans.owner()
                    .setTimer(events != null ? Math.max(scanPeriodMs, SAFETY_SCAN_MS) : scanPeriodMs, t -> look());
        }
    }

    private void look() {
        timer = -1;
        lookSoon = false;
        if (closed) {
            return;
        }
        if (!alive.getAsBoolean()) {
            end();
            retriever.close();
            return;
        }
        // followed again before the read, not after it: an edit between the two would wait for the safety scan
        followFolder();
        retriever.getConfig().onComplete(read -> {
            if (read.failed()) {
                if (!failing) {
                    failing = true;
                    onReadFailure.accept(read.cause());
                }
            } else {
                if (failing) {
                    failing = false;
                    onRead.run();
                }
                String text = read.result().getString(KEY, "");
                if (!text.equals(last)) {
                    last = text;
                    onChange.accept(text);
                }
            }
            if (!lookSoon) {
                schedule();
            }
        });
    }

    private void stopFollowing() {
        if (events != null) {
            events.close();
            events = null;
            FOLDER_WATCHES.decrementAndGet();
        }
    }

    private void cancelTimer() {
        if (timer >= 0) {
            scans.owner().cancelTimer(timer);
            timer = -1;
        }
    }

    private void end() {
        closed = true;
        cancelTimer();
        stopFollowing();
    }

    /** Whether this file's folder's events are followed now (tests; the scans' context). */
    boolean followsFolder() {
        return events != null;
    }
}
