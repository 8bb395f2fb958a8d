package io.jpm.ecosystem;

import io.jpm.protocol.Addresses;
import io.jpm.verticle.LocalBus;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.nio.file.NoSuchFileException;
import java.util.logging.Logger;

/**
 * One file the config watcher watches, and its last result: watching, waiting (hot reload is off),
 * applied or refused. Each new result is logged and published on {@code jpm.events.config}; the
 * last answers {@code jpm.query.config} (shown by {@code jpm ls}).
 */
final class WatchedFile {
    private static final Logger LOG = Logger.getLogger("jpm.config");

    final String file;
    /** {@link ConfigWatcherVerticle#ECOSYSTEM} or {@link ConfigWatcherVerticle#SETTINGS}. */
    final String kind;

    private final EventBus bus;
    /** The file's watch once started; null while none is. */
    FileWatch watch;

    private String status = "watching";
    private String error;
    private long at = System.currentTimeMillis();
    /** The file was read empty and is read again before that applies (see ConfigWatcherVerticle). */
    boolean blankSeen;

    /** A read failure already reported: each scan reports it again, publish it once. */
    private boolean readFailing;

    WatchedFile(String file, String kind, EventBus bus) {
        this.file = file;
        this.kind = kind;
        this.bus = bus;
    }

    /** An edit waits for a start, restart or reload of the file's apps. */
    boolean isWaiting() {
        return "waiting".equals(status);
    }

    /** A new text was read: any read failure is over. */
    void changeRead() {
        readFailing = false;
    }

    /** A read of the file failed: reported once, until a read succeeds again. */
    void readFailed(Throwable failure) {
        if (readFailing) {
            return;
        }
        readFailing = true;
        boolean gone = failure instanceof NoSuchFileException
                || failure.getCause() instanceof NoSuchFileException
                || String.valueOf(failure.getMessage()).contains("NoSuchFile")
                || String.valueOf(failure.getMessage()).contains("does not exist");
        refused(file + ": " + (gone ? "the file was deleted" : "cannot read: " + failure.getMessage())
                + "; the last good config keeps running");
    }

    /** A scan read the file again: a read failure is over (its text may be unchanged, so no change event comes). */
    void readOk() {
        if (readFailing) {
            readFailing = false;
            if ("refused".equals(status) && error != null && error.endsWith("the last good config keeps running")) {
                status = "watching";
                error = null;
                at = System.currentTimeMillis();
                LOG.info(() -> file + " is back");
            }
        }
    }

    /** An edit not applied, as hot reload is off (for this file, or in jpm.json): shown by jpm ls. */
    void waiting() {
        status = "waiting";
        error = null;
        at = System.currentTimeMillis();
        LOG.info(() -> file + " changed; hot reload is off: the edit waits for jpm restart/reload of the file");
        bus.publish(Addresses.EVENTS_CONFIG, event(), LocalBus.only());
    }

    /** God applied the file's diff (or jpm.json was published): {@code diff} goes into the event. */
    void applied(JsonObject diff) {
        if (diff.getBoolean("waiting", false)) {
            waiting();
            return;
        }
        status = "applied";
        error = null;
        at = System.currentTimeMillis();
        JsonObject event = event().mergeIn(diff);
        LOG.info(() -> "applied " + file + ": " + diff.encode());
        bus.publish(Addresses.EVENTS_CONFIG, event, LocalBus.only());
    }

    /** An edit not applied, with the reason a user reads; what runs is unchanged. */
    void refused(String why) {
        status = "refused";
        error = why;
        at = System.currentTimeMillis();
        LOG.warning(() -> "refused an edit of " + file + ": " + why);
        bus.publish(Addresses.EVENTS_CONFIG, event(), LocalBus.only());
    }

    /** This file's last result, as {@code jpm.events.config} and {@code jpm.query.config} carry it. */
    JsonObject event() {
        return new JsonObject()
                .put("file", file)
                .put("kind", kind)
                .put("status", status)
                .put("error", error)
                .put("at", at);
    }
}
