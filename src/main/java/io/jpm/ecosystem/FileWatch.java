package io.jpm.ecosystem;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One watched file, through vertx-config's file store: every scan period the file is looked at again
 * by its path (so an editor that saves by writing a new file and renaming it over the old one is seen
 * like any edit), and read when a stat says it changed ({@link StatFirstFileStore}). The text is read raw, so jpm validates it itself: vertx-config's JSON format would
 * swallow a malformed edit. The store is never optional: a missing file is an error, not {@code {}}.
 * Its classes load only when the first file is watched.
 */
final class FileWatch {
    private static final String KEY = "text";
    /**
     * vertx-config logs every failed scan at SEVERE with a stack trace (a deleted file: one per scan
     * period, forever). jpm reports the failure once itself, through the stream's exception handler.
     * Held in a field: java.util.logging keeps loggers only weakly, and would forget the level.
     */
    private static final Logger SCAN_LOG = Logger.getLogger("io.vertx.config.impl.ConfigRetrieverImpl");

    static {
        SCAN_LOG.setLevel(Level.OFF);
    }

    private final ConfigRetriever retriever;
    /** Whether the last scan failed: the callbacks below hear of a change of it only, not of every scan. */
    private volatile boolean failing;

    /**
     * @param scans where the scans run (an event loop: {@link ConfigWatcherVerticle}); the callbacks are
     *     called there too. The watch may be made from any thread.
     * @param onChange the file's new text, each time it differs from the last text read
     * @param onReadFailure a scan that cannot read the file (deleted, unreadable) after one that could
     * @param onRead a scan that read it after one that could not
     * @param alive false once the watcher is gone (stopped, or superseded by a fresh one while it hung:
     *     its scans do not run on its own context, so nothing else ends them); the next scan closes the watch
     */
    FileWatch(
            ContextInternal scans,
            Vertx vertx,
            String path,
            long scanPeriodMs,
            Consumer<String> onChange,
            Consumer<Throwable> onReadFailure,
            Runnable onRead,
            BooleanSupplier alive) {
        ConfigStoreOptions store = new ConfigStoreOptions()
                .setType(StatFirstFileStore.TYPE)
                .setFormat("raw")
                .setOptional(false)
                .setConfig(
                        new JsonObject().put("path", path).put("raw.key", KEY).put("raw.type", "string"));
        ConfigRetrieverOptions options = new ConfigRetrieverOptions()
                .setIncludeDefaultStores(false)
                .setScanPeriod(scanPeriodMs)
                .addStore(store);
        // vertx-config schedules its scans on the context current at its creation
        ConfigRetriever[] made = new ConfigRetriever[1];
        scans.dispatch(v -> made[0] = ConfigRetriever.create(vertx, options));
        retriever = made[0];
        // a handler here replaces vertx-config's own logging of every failed scan, stack trace and all
        retriever.configStream().exceptionHandler(failure -> {
            if (!failing) {
                failing = true;
                onReadFailure.accept(failure);
            }
        });
        retriever.setConfigurationProcessor(json -> {
            if (!alive.getAsBoolean()) {
                retriever.close();
                return json;
            }
            if (failing) {
                failing = false;
                onRead.run();
            }
            return json;
        });
        retriever.listen(change -> onChange.accept(change.getNewConfiguration().getString(KEY, "")));
    }

    /** The text as first read: the baseline later changes are reported against. */
    Future<String> initial() {
        // a first read that failed is the state the next scans are told against
        return retriever.getConfig().map(json -> json.getString(KEY, "")).onFailure(e -> failing = true);
    }

    Future<Void> close() {
        return retriever.close();
    }
}
