package io.jpm.ecosystem;

import io.jpm.config.DaemonSettings;
import io.jpm.internals.ContextInternals;
import io.jpm.launcher.DirectoryEvents;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.Ownership;
import io.jpm.verticle.JpmVerticle;
import io.jpm.verticle.LocalBus;
import io.jpm.verticle.Reply;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Hot reload. Watches the ecosystem files God started apps from (God says which on
 * {@code jpm.internal.config.watch}) and the daemon's settings file. An ecosystem file's new text
 * goes to God, which validates it, diffs it against what runs from it and applies the diff; the
 * settings file's new text is validated here and published on {@code jpm.internal.settings}. Every
 * applied diff and every refused edit is logged and published on {@code jpm.events.config}; each
 * file's last result answers {@code jpm.query.config} (shown by {@code jpm ls}).
 *
 * <p>Config: {@code {"settingsFile":"/home/.jpm/jpm.json","scanPeriodMs":1000}}.
 */
public final class ConfigWatcherVerticle extends JpmVerticle {
    private static final Logger LOG = Logger.getLogger("jpm.config");
    /** How long an empty watched file must stay empty before it applies (a write in place truncates first). */
    static final long BLANK_RECHECK_MS = 1000;

    private static final long APPLY_TIMEOUT_MS = 120_000;
    static final String ECOSYSTEM = "ecosystem";
    static final String SETTINGS = "settings";

    private final Map<String, WatchedFile> files = new LinkedHashMap<>();
    /** jpm.json's ecosystem.hot_reload: false leaves every edit waiting, pm2's habit. */
    private boolean hotReload;

    private long scanPeriodMs;
    private String settingsFile;
    private volatile long settingsProbe = -1;
    /** The settings folder's events while the settings file does not exist (this context only). */
    private DirectoryEvents settingsAppears;

    private volatile boolean stopped;
    /**
     * A worker context of its own for the looks at the watched files (the settings file's probe and
     * vertx-config's stats and reads of watched files), never an event loop's: a stat is a file call
     * like any other, which may block, and these looks are rare (on the folder's inotify events, and every
     * 30 s all the same; every scan period only where inotify cannot be had), so a worker that ends
     * when idle serves them. What they find is handled here, on the verticle's own context: a changed
     * file's text, a read that failed or works again.
     */
    private Context scans;
    /** The daemon started without a settings file: when one appears, its first text is a change. */
    private boolean settingsCreatedLater;

    /** jpm set/unset/multiset; null without a settings file. */
    private ConfEdits confEdits;

    @Override
    public Future<?> start() {
        // Vert.x internal: a worker context of the verticle's own, where a look stats files in order; the
        // public API has none short of deploying another verticle, and without it a look runs on the loop
        scans = ContextInternals.worker(vertx);
        scanPeriodMs = config().getLong("scanPeriodMs", 1000L);
        settingsFile = config().getString("settingsFile");
        if (settingsFile != null) {
            Path home = config().containsKey("home")
                    ? Path.of(config().getString("home"))
                    : Path.of(settingsFile).getParent();
            confEdits = new ConfEdits(Path.of(settingsFile), new JpmHome(home).moduleConf());
        }
        hotReload = config().getJsonObject("ecosystem", new JsonObject()).getBoolean("hot_reload", true);
        vertx.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.INTERNAL_SETTINGS,
                        m -> hotReload = m.body()
                                .getJsonObject("ecosystem", new JsonObject())
                                .getBoolean("hot_reload", true));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_CONFIG_WATCH, m -> {
            String file = m.body().getString("file");
            if (m.body().getBoolean("watch", true)) {
                caughtUp(file);
                watch(file, ECOSYSTEM, false, m.body().getString("text"));
            } else {
                unwatch(file);
            }
        });
        vertx.eventBus().<JsonObject>localConsumer(Addresses.QUERY_CONFIG, m -> m.reply(Reply.ok(describe())));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.CMD_SET, new SetRequests(confEdits)::handle);
        if (settingsFile != null) {
            String initialError = config().getString("settingsError");
            if (initialError != null) {
                WatchedFile w = new WatchedFile(settingsFile, SETTINGS, vertx.eventBus());
                w.refused(initialError);
                files.put(settingsFile, w);
            }
            watchSettingsWhenPresent();
        }
        return Future.succeededFuture();
    }

    /**
     * The settings file is optional: until it exists, the folder's events (inotify) or, where they
     * cannot be had, a cheap existence check every scan period stand in for the watch, so an idle
     * daemon without one never loads vertx-config (and, with inotify, is not woken for it at all).
     */
    private void watchSettingsWhenPresent() {
        if (Files.isRegularFile(Path.of(settingsFile))) {
            watch(settingsFile, SETTINGS, settingsCreatedLater, null);
        } else if (!awaitSettingsFile()) {
            scans.runOnContext(v -> probeSettings());
        }
    }

    /** Waits for the settings file through its folder's events; false when inotify is refused. */
    private boolean awaitSettingsFile() {
        Path path = Path.of(settingsFile);
        String name = path.getFileName().toString();
        try {
            settingsAppears = DirectoryEvents.watch(path.getParent(), changed -> {
                if (changed == null || changed.equals(name)) {
                    context.runOnContext(v -> settingsFolderChanged(changed == null));
                }
            });
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.fine(() -> "the settings file is looked for every " + scanPeriodMs + " ms: " + e.getMessage());
            return false;
        }
        // made between the check above and the watch: no event would tell
        context.runOnContext(v -> settingsFolderChanged(false));
        return true;
    }

    /** @param lost events were lost or the folder went: the watch may be over */
    private void settingsFolderChanged(boolean lost) {
        DirectoryEvents events = settingsAppears;
        if (events == null) {
            return;
        }
        boolean present = Files.isRegularFile(Path.of(settingsFile));
        if (stopped || present || lost) {
            settingsAppears = null;
            events.close();
        }
        if (stopped) {
            return;
        }
        if (present) {
            settingsCreatedLater = true;
            watchSettingsWhenPresent();
        } else if (lost) {
            scans.runOnContext(v -> probeSettings());
        }
    }

    /** On {@link #scans}: a stat every scan period until the settings file exists, then back to the worker. */
    private void probeSettings() {
        settingsProbe = vertx.setTimer(Math.max(scanPeriodMs, 1000), t -> {
            settingsProbe = -1;
            if (stopped) {
                return;
            }
            if (Files.isRegularFile(Path.of(settingsFile))) {
                context.runOnContext(v -> {
                    settingsCreatedLater = true;
                    watchSettingsWhenPresent();
                });
            } else {
                probeSettings();
            }
        });
    }

    /**
     * @param applyInitial the text as first read is a change
     * @param applied the text what runs was read from: a first read that differs is a change (an edit
     *     saved between the start's read and this watch's); null: the first read is the baseline
     */
    private void watch(String file, String kind, boolean applyInitial, String applied) {
        WatchedFile existing = files.get(file);
        if (existing != null && existing.watch != null) {
            return;
        }
        WatchedFile w = existing != null ? existing : new WatchedFile(file, kind, vertx.eventBus());
        files.put(file, w);
        // made on the scans' context, so vertx-config looks there; what it finds comes back here
        w.watch = new FileWatch(
                scans,
                vertx,
                file,
                scanPeriodMs,
                text -> context.runOnContext(v -> changed(file, w, text)),
                failure -> context.runOnContext(v -> w.readFailed(failure)),
                () -> context.runOnContext(v -> w.readOk()),
                () -> !stopped);
        w.watch
                .initial()
                .onComplete(initial -> context.runOnContext(v -> {
                    if (initial.failed()) {
                        w.readFailed(initial.cause());
                    } else if (applyInitial || (applied != null && !applied.equals(initial.result()))) {
                        changed(file, w, initial.result());
                    }
                }));
        LOG.info(() -> "watching " + kind + " file " + file);
    }

    private void unwatch(String file) {
        WatchedFile w = files.remove(file);
        if (w != null && w.watch != null) {
            w.watch.close();
            LOG.info(() -> "no app runs from " + file + " any more: not watched");
        }
    }

    private void changed(String file, WatchedFile w, String text) {
        w.changeRead();
        if (text.isBlank()) {
            // a write in place (an editor, `>`) truncates first, and a look may fall in between: an empty
            // file applies only if it is still empty a moment later; a filled one comes as the next change
            if (!w.blankSeen) {
                w.blankSeen = true;
                vertx.setTimer(BLANK_RECHECK_MS, t -> vertx.executeBlocking(
                                () -> Files.readString(Path.of(file)).isBlank(), false)
                        .onComplete(
                                stillBlank -> blankRechecked(file, w, stillBlank.succeeded() && stillBlank.result())));
            }
            return;
        }
        w.blankSeen = false;
        apply(file, w, text);
    }

    private void blankRechecked(String file, WatchedFile w, boolean stillBlank) {
        if (stillBlank && w.blankSeen) {
            w.blankSeen = false;
            apply(file, w, "");
        } else {
            LOG.info(() -> file + " was empty for a moment (written in place): not applied");
        }
    }

    private void apply(String file, WatchedFile w, String text) {
        if (w.kind.equals(ECOSYSTEM) && !hotReload) {
            w.waiting();
            return;
        }
        String distrust = distrust(file, w);
        if (distrust != null) {
            w.refused(distrust);
            return;
        }
        if (w.kind.equals(SETTINGS)) {
            try {
                JsonObject settings = DaemonSettings.parse(file, text);
                vertx.eventBus().publish(Addresses.INTERNAL_SETTINGS, settings, LocalBus.only());
                w.applied(new JsonObject());
            } catch (JpmException e) {
                w.refused(e.getMessage());
            }
            return;
        }
        vertx.eventBus()
                .<JsonObject>request(
                        Addresses.INTERNAL_GOD_APPLY,
                        new JsonObject().put("file", file).put("text", text),
                        new DeliveryOptions().setSendTimeout(APPLY_TIMEOUT_MS))
                .onSuccess(reply -> w.applied(reply.body().getJsonObject("data")))
                .onFailure(e -> w.refused(e.getMessage()));
    }

    /**
     * Why an edit of {@code file} must not be applied: another user than the daemon's (or root) owns
     * it or a folder above it, or may write either (sshd's StrictModes, docs/SECURITY.md): whoever can
     * write the file could run commands as the daemon's user. Null when it may. On this worker: lstat blocks.
     */
    private static String distrust(String file, WatchedFile w) {
        String problem;
        try {
            problem = Ownership.strictModesProblem(Path.of(file), Ownership.currentUid());
        } catch (IOException e) {
            problem = "cannot tell who may write " + file + " (" + e.getMessage() + ")";
        }
        return problem == null
                ? null
                : "hot reload refused: " + problem + "; what runs is unchanged. Once fixed, save the file again"
                        + (w.kind.equals(ECOSYSTEM) ? ", or apply it on your word with jpm reload " + file : "");
    }

    /** God started, restarted or reloaded the file's apps from what it reads now: a waiting edit is applied. */
    private void caughtUp(String file) {
        WatchedFile w = files.get(file);
        if (w != null && w.isWaiting()) {
            w.applied(new JsonObject().put("by", "start, restart or reload of the file"));
        }
    }

    private JsonArray describe() {
        JsonArray array = new JsonArray();
        files.values().forEach(w -> array.add(w.event()));
        return array;
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        if (settingsProbe >= 0) {
            vertx.cancelTimer(settingsProbe);
        }
        if (settingsAppears != null) {
            settingsAppears.close();
            settingsAppears = null;
        }
        return Future.join(files.values().stream()
                        .filter(w -> w.watch != null)
                        .map(w -> w.watch.close())
                        .toList())
                .otherwiseEmpty();
    }
}
