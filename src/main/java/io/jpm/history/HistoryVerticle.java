package io.jpm.history;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.MetricsSample;
import io.jpm.verticle.JpmVerticle;
import io.jpm.verticle.Plain;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The history: each app's and the host's figures over the last 7 days ({@link HistoryStore}), kept over
 * restarts in JPM_HOME/history ({@link HistoryFiles}), served on {@code jpm.query.history}
 * ({@link HistoryQuery}). It wakes for nothing of its own: each of Satan's samples
 * ({@code jpm.events.metrics}, every second while someone follows the figures, every idle sample
 * interval otherwise, none while no app runs) is recorded, with God's figures of each instance asked
 * at most once per 5 s slot; a sample in a new minute finishes the last one, and what finished since
 * the last write is appended to the files then, on a worker. A daemon killed with -9 loses what was
 * not written (at most the minute under way); one that stops, or leaves for an update, writes the slot
 * and the minute under way too.
 *
 * <p>Config: {@code {"home":..., "host":..., "history":{"enabled":true}}}; a new {@code "history"} section
 * published on {@code jpm.internal.settings} applies at once.
 */
public final class HistoryVerticle extends JpmVerticle {
    private static final Logger LOG = Logger.getLogger("jpm.history");
    private static final String SECTION = "history";

    private HistoryFiles files;
    private String host;
    /** jpm.json's history.enabled. */
    private boolean enabled;
    /** The store once the files are read; null until then (a sample meanwhile is not recorded), and while off. */
    private HistoryStore store;

    /** The files' reading, null while the history is off. */
    private Future<Void> loaded;
    /** Finished slots not written yet. */
    private List<HistoryStore.Point> unwritten = new ArrayList<>();

    private boolean writeFailed;
    /** God's figures of each instance, and the 5 s slot they were asked in. */
    private Future<JsonObject> godFigures;

    private long godFiguresSlot = -1;

    @Override
    public Future<?> start() {
        host = config().getString("host", "localhost");
        files = new HistoryFiles(new JpmHome(Path.of(config().getString("home"))).history());
        apply(config().getJsonObject(SECTION, new JsonObject()));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_SETTINGS, m -> {
            if (m.body() != null) {
                apply(m.body().getJsonObject(SECTION, new JsonObject()));
            }
        });
        vertx.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.EVENTS_METRICS, m -> onSample(MetricsSample.from(Plain.map(m.body()))));
        // built for the request and never touched after: handed to the door, not copied
        handleFresh(Addresses.QUERY_HISTORY, body -> {
            if (loaded == null) {
                return Future.failedFuture(
                        new JpmException(JpmError.UNAVAILABLE, "history: off (jpm.json's history.enabled is false)"));
            }
            return loaded.map(v -> HistoryQuery.answer(store, body, host, System.currentTimeMillis()));
        });
        handleLocal(Addresses.INTERNAL_HISTORY_WRITE, body -> writeAll().map(v -> new JsonObject()));
        return Future.succeededFuture();
    }

    /**
     * jpm.json's {@code history} section: {@code enabled} false writes what the history has, then lets go
     * of it (no memory held, no sample recorded; the files stay); true again reads the files back.
     */
    private void apply(JsonObject section) {
        enabled = section.getBoolean("enabled", true);
        if (enabled && loaded == null) {
            load();
        } else if (!enabled && loaded != null) {
            Future<Void> reading = loaded;
            loaded = null;
            reading.onComplete(ar -> {
                writeAll();
                store = null;
                LOG.info("history: off (jpm.json's history.enabled is false)");
            });
        }
    }

    /** Reads the files on a worker without holding the start up: 24 h of 200 apps is ~60 MB of JSON. */
    private void load() {
        loaded = vertx.executeBlocking(
                        () -> {
                            HistoryStore read = new HistoryStore();
                            long now = System.currentTimeMillis();
                            long began = System.nanoTime();
                            files.load(
                                    now,
                                    (tier, time, subject, metrics) -> read.restore(tier, time, subject, metrics, now));
                            read.restored();
                            if (read.seriesCount() > 0) {
                                LOG.info("history: " + read.seriesCount() + " series read from " + files.dir() + " in "
                                        + (System.nanoTime() - began) / 1_000_000 + " ms");
                            }
                            return read;
                        },
                        false)
                .recover(e -> {
                    LOG.log(Level.WARNING, "history: cannot read " + files.dir() + ": " + e.getMessage(), e);
                    return Future.succeededFuture(new HistoryStore());
                })
                .map(read -> {
                    if (enabled) {
                        store = read; // else turned off while it read: nothing kept
                    }
                    return null;
                });
    }

    @Override
    public Future<?> stop() {
        return writeAll();
    }

    private void onSample(MetricsSample sample) {
        if (store == null || sample.processes().isEmpty()) {
            return;
        }
        figuresOfGod(sample.time()).onSuccess(god -> {
            List<HistoryStore.Point> finished = store.record(sample.time(), Figures.of(sample, god));
            unwritten.addAll(finished);
            if (finished.stream().anyMatch(p -> p.tier() != Tier.FINE)) {
                write();
            }
        });
    }

    /** God's figures (restarts, code metrics), asked again only in a new 5 s slot. */
    private Future<JsonObject> figuresOfGod(long time) {
        long slot = time / HistoryStore.FINE_MS;
        if (godFigures == null || slot != godFiguresSlot || godFigures.failed()) {
            godFiguresSlot = slot;
            godFigures = vertx.eventBus()
                    .<JsonObject>request(Addresses.INTERNAL_GOD_FIGURES, new JsonObject())
                    .map(reply -> reply.body().getJsonObject("data", new JsonObject()));
        }
        return godFigures;
    }

    /**
     * Appends what finished on a worker; the writes are ordered (one after the other, in the order
     * asked). A failed write is told once (until one succeeds) and its points dropped.
     */
    private Future<Void> write() {
        if (unwritten.isEmpty()) {
            return Future.succeededFuture();
        }
        List<HistoryStore.Point> points = unwritten;
        unwritten = new ArrayList<>();
        return vertx.executeBlocking(
                        () -> {
                            files.append(points, System.currentTimeMillis());
                            return null;
                        },
                        true)
                .onComplete(ar -> {
                    if (ar.failed() && !writeFailed) {
                        LOG.warning("history: cannot write " + files.dir() + ": "
                                + ar.cause().getMessage() + " (the figures stay in memory; told once)");
                    }
                    writeFailed = ar.failed();
                })
                .mapEmpty();
    }

    /** The slot and the minute under way written too, as for a stop: before a daemon leaves for an update. */
    private Future<Void> writeAll() {
        if (store != null) {
            unwritten.addAll(store.underWay());
        }
        return write();
    }
}
