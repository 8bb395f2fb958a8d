package io.jpm.ecosystem;

import io.jpm.config.DaemonSettings;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.Ownership;
import io.jpm.verticle.Generation;
import io.jpm.verticle.JpmVerticle;
import io.jpm.verticle.LocalBus;
import io.jpm.verticle.Reply;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
    private static final long APPLY_TIMEOUT_MS = 120_000;
    static final String ECOSYSTEM = "ecosystem";
    static final String SETTINGS = "settings";

    /** One watched file and its last result. */
    private static final class Watched {
        final String kind;
        FileWatch watch;
        String status = "watching";
        String error;
        long at = System.currentTimeMillis();
        /** A read failure already reported: each scan reports it again, publish it once. */
        boolean readFailing;

        Watched(String kind) {
            this.kind = kind;
        }
    }

    private final Map<String, Watched> files = new LinkedHashMap<>();
    /** jpm.json's ecosystem.hot_reload: false leaves every edit waiting, pm2's habit. */
    private boolean hotReload;

    private long scanPeriodMs;
    private String settingsFile;
    private long settingsProbe = -1;
    /** The daemon started without a settings file: when one appears, its first text is a change. */
    private boolean settingsCreatedLater;

    private Generation thisGeneration;
    /** jpm set/unset/multiset; null without a settings file. */
    private ConfEdits confEdits;

    @Override
    protected String name() {
        return "config";
    }

    @Override
    public Future<?> start() {
        scanPeriodMs = config().getLong("scanPeriodMs", 1000L);
        settingsFile = config().getString("settingsFile");
        if (settingsFile != null) {
            Path home = config().containsKey("home")
                    ? Path.of(config().getString("home"))
                    : Path.of(settingsFile).getParent();
            confEdits = new ConfEdits(Path.of(settingsFile), new JpmHome(home).moduleConf());
        }
        thisGeneration = generation();
        hotReload = config().getJsonObject("ecosystem", new JsonObject()).getBoolean("hot_reload", true);
        thisGeneration.<JsonObject>consumer(
                Addresses.INTERNAL_SETTINGS,
                m -> hotReload =
                        m.body().getJsonObject("ecosystem", new JsonObject()).getBoolean("hot_reload", true));
        thisGeneration.<JsonObject>consumer(Addresses.INTERNAL_CONFIG_WATCH, m -> {
            String file = m.body().getString("file");
            if (m.body().getBoolean("watch", true)) {
                caughtUp(file);
                watch(file, ECOSYSTEM);
            } else {
                unwatch(file);
            }
        });
        answerPing(Addresses.INTERNAL_CONFIG_PING, JsonObject::new);
        thisGeneration.<JsonObject>consumer(Addresses.QUERY_CONFIG, m -> m.reply(Reply.ok(describe())));
        thisGeneration.<JsonObject>consumer(Addresses.CMD_SET, this::set);
        if (thisGeneration.redeployed() && thisGeneration.current()) {
            watchGodsFilesAgain();
        }
        if (settingsFile != null) {
            String initialError = thisGeneration.redeployed() ? null : config().getString("settingsError");
            if (initialError != null) {
                Watched w = new Watched(SETTINGS);
                refused(settingsFile, w, initialError);
                files.put(settingsFile, w);
            }
            watchSettingsWhenPresent();
        }
        return Future.succeededFuture();
    }

    /**
     * A fresh watcher replacing a hung one: God says which files its apps came from. Each file's text
     * as read now is applied at once: an edit made while the hung one was stuck would otherwise be
     * this watcher's baseline and never applied. God's diff leaves what did not change alone (same
     * pids), so an unchanged file restarts nothing.
     */
    private void watchGodsFilesAgain() {
        Generation.<JsonObject>requestRead(vertx, Addresses.INTERNAL_GOD_FILES, new JsonObject(), 3)
                .onSuccess(reply -> {
                    JsonArray list = reply.body().getJsonObject("data").getJsonArray("files", new JsonArray());
                    LOG.info(() -> "config watcher redeployed (generation " + thisGeneration.generation()
                            + "): watching " + list.size() + " ecosystem file(s) again");
                    list.forEach(file -> watch((String) file, ECOSYSTEM, true));
                })
                .onFailure(e -> LOG.warning(
                        () -> "redeployed config watcher: cannot ask God for its files: " + e.getMessage()));
    }

    /**
     * The settings file is optional: until it exists, a cheap existence check stands in for the
     * watch, so an idle daemon without one never loads vertx-config.
     */
    private void watchSettingsWhenPresent() {
        // on the worker pool God already uses: the file system API would start the internal pool's thread
        vertx.executeBlocking(() -> Files.isRegularFile(Path.of(settingsFile)), false)
                .onSuccess(exists -> {
                    if (exists) {
                        watch(settingsFile, SETTINGS, settingsCreatedLater || thisGeneration.redeployed());
                    } else {
                        settingsProbe = vertx.setTimer(Math.max(scanPeriodMs, 1000), t -> {
                            settingsProbe = -1;
                            settingsCreatedLater = true;
                            watchSettingsWhenPresent();
                        });
                    }
                });
    }

    private void watch(String file, String kind) {
        watch(file, kind, false);
    }

    /** @param applyInitial the text as first read is a change (else it is the baseline) */
    private void watch(String file, String kind, boolean applyInitial) {
        Watched existing = files.get(file);
        if (existing != null && existing.watch != null) {
            return;
        }
        Watched w = existing != null ? existing : new Watched(kind);
        files.put(file, w);
        w.watch = new FileWatch(
                vertx,
                file,
                scanPeriodMs,
                text -> changed(file, w, text),
                failure -> readFailed(file, w, failure),
                () -> vertx.runOnContext(v -> readOk(file, w)));
        w.watch
                .initial()
                .onSuccess(text -> {
                    if (applyInitial) {
                        changed(file, w, text);
                    }
                })
                .onFailure(e -> readFailed(file, w, e));
        LOG.info(() -> "watching " + kind + " file " + file);
    }

    /**
     * {@code jpm set/unset/multiset}: jpm.json and module_conf.json edited by {@link ConfEdits}, only
     * when every key and value is good; the settings watch then applies jpm.json like any edit. On
     * this worker verticle, so the file I/O blocks no event loop.
     */
    private void set(Message<JsonObject> m) {
        try {
            if (confEdits == null) {
                throw new JpmException(JpmError.UNAVAILABLE, "this daemon runs without a settings file");
            }
            List<ConfEdits.Edit> edits = edits(m.body());
            JsonObject done = confEdits.apply(edits);
            edits.forEach(e -> LOG.info(() ->
                    (e.value() == null ? "unset " : "set ") + e.key() + (e.value() == null ? "" : " = " + e.value())));
            m.reply(Reply.ok(done));
        } catch (JpmException e) {
            Reply.fail(m, e);
        } catch (IOException e) {
            Reply.fail(m, new JpmException(JpmError.INTERNAL, "cannot write the settings: " + e.getMessage()));
        }
    }

    /** {@code {"key":..,"value":..}}, or {@code {"pairs":[{"key":..,"value":..},..]}} for multiset. */
    private static List<ConfEdits.Edit> edits(JsonObject body) {
        JsonArray pairs = body.getJsonArray("pairs", new JsonArray().add(body));
        List<ConfEdits.Edit> edits = new ArrayList<>();
        for (Object pair : pairs) {
            JsonObject p = pair instanceof JsonObject o ? o : new JsonObject();
            Object value = p.getValue("value");
            edits.add(new ConfEdits.Edit(p.getString("key", ""), value == null ? null : String.valueOf(value)));
        }
        if (edits.isEmpty()) {
            throw new JpmException(JpmError.INVALID_ARGUMENT, "no key to set");
        }
        return edits;
    }

    private void unwatch(String file) {
        Watched w = files.remove(file);
        if (w != null && w.watch != null) {
            w.watch.close();
            LOG.info(() -> "no app runs from " + file + " any more: not watched");
        }
    }

    private void changed(String file, Watched w, String text) {
        if (!thisGeneration.current()) {
            return; // superseded while stuck: the fresh watcher applies this edit, once
        }
        w.readFailing = false;
        if (w.kind.equals(SETTINGS)) {
            String distrust = distrust(file, w);
            if (distrust != null) {
                refused(file, w, distrust);
                return;
            }
            try {
                JsonObject settings = DaemonSettings.parse(file, text);
                vertx.eventBus().publish(Addresses.INTERNAL_SETTINGS, settings, LocalBus.only());
                applied(file, w, new JsonObject());
            } catch (JpmException e) {
                refused(file, w, e.getMessage());
            }
            return;
        }
        if (!hotReload) {
            waiting(file, w);
            return;
        }
        String distrust = distrust(file, w);
        if (distrust != null) {
            refused(file, w, distrust);
            return;
        }
        vertx.eventBus()
                .<JsonObject>request(
                        Addresses.INTERNAL_GOD_APPLY,
                        new JsonObject().put("file", file).put("text", text),
                        new DeliveryOptions().setSendTimeout(APPLY_TIMEOUT_MS))
                .onSuccess(reply -> applied(file, w, reply.body().getJsonObject("data")))
                .onFailure(e -> refused(file, w, e.getMessage()));
    }

    /**
     * Why an edit of {@code file} must not be applied: another user than the daemon's (or root) owns
     * it or a folder above it, or may write either (sshd's StrictModes, docs/SECURITY.md): whoever can
     * write the file could run commands as the daemon's user. Null when it may. On this worker: lstat blocks.
     */
    private String distrust(String file, Watched w) {
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

    private void readFailed(String file, Watched w, Throwable failure) {
        if (w.readFailing) {
            return;
        }
        w.readFailing = true;
        boolean gone = failure instanceof NoSuchFileException
                || failure.getCause() instanceof NoSuchFileException
                || String.valueOf(failure.getMessage()).contains("NoSuchFile")
                || String.valueOf(failure.getMessage()).contains("does not exist");
        refused(
                file,
                w,
                file + ": " + (gone ? "the file was deleted" : "cannot read: " + failure.getMessage())
                        + "; the last good config keeps running");
    }

    /** A scan read the file again: a read failure is over (its text may be unchanged, so no change event comes). */
    private void readOk(String file, Watched w) {
        if (w.readFailing) {
            w.readFailing = false;
            if ("refused".equals(w.status)
                    && w.error != null
                    && w.error.endsWith("the last good config keeps running")) {
                w.status = "watching";
                w.error = null;
                w.at = System.currentTimeMillis();
                LOG.info(() -> file + " is back");
            }
        }
    }

    /** An edit not applied, as hot reload is off (for this file, or in jpm.json): shown by jpm ls. */
    private void waiting(String file, Watched w) {
        w.status = "waiting";
        w.error = null;
        w.at = System.currentTimeMillis();
        LOG.info(() -> file + " changed; hot reload is off: the edit waits for jpm restart/reload of the file");
        vertx.eventBus().publish(Addresses.EVENTS_CONFIG, event(file, w), LocalBus.only());
    }

    /** God started, restarted or reloaded the file's apps from what it reads now: a waiting edit is applied. */
    private void caughtUp(String file) {
        Watched w = files.get(file);
        if (w != null && "waiting".equals(w.status)) {
            applied(file, w, new JsonObject().put("by", "start, restart or reload of the file"));
        }
    }

    private void applied(String file, Watched w, JsonObject diff) {
        if (diff.getBoolean("waiting", false)) {
            waiting(file, w);
            return;
        }
        w.status = "applied";
        w.error = null;
        w.at = System.currentTimeMillis();
        JsonObject event = event(file, w).mergeIn(diff);
        LOG.info(() -> "applied " + file + ": " + diff.encode());
        vertx.eventBus().publish(Addresses.EVENTS_CONFIG, event, LocalBus.only());
    }

    private void refused(String file, Watched w, String error) {
        w.status = "refused";
        w.error = error;
        w.at = System.currentTimeMillis();
        LOG.warning(() -> "refused an edit of " + file + ": " + error);
        vertx.eventBus().publish(Addresses.EVENTS_CONFIG, event(file, w), LocalBus.only());
    }

    private static JsonObject event(String file, Watched w) {
        return new JsonObject()
                .put("file", file)
                .put("kind", w.kind)
                .put("status", w.status)
                .put("error", w.error)
                .put("at", w.at);
    }

    private JsonArray describe() {
        JsonArray array = new JsonArray();
        files.forEach((file, w) -> array.add(event(file, w)));
        return array;
    }

    @Override
    public Future<?> stop() {
        if (settingsProbe >= 0) {
            vertx.cancelTimer(settingsProbe);
        }
        return Future.join(files.values().stream()
                        .filter(w -> w.watch != null)
                        .map(w -> w.watch.close())
                        .toList())
                .otherwiseEmpty();
    }
}
