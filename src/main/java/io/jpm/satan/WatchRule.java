package io.jpm.satan;

import io.jpm.config.WatchdogOptions;
import io.jpm.protocol.ProcessEvent;
import io.jpm.protocol.ProcessState;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.logging.Logger;

/**
 * watch: a change under an app's watched paths restarts it once the changes have settled for
 * watch_delay. One {@link FileWatcher} for every app, made at the first app that watches; its
 * (blocking) registrations run in order on a worker.
 */
final class WatchRule implements Rule {
    private static final Logger LOG = Logger.getLogger("jpm.satan");
    /** A user's stop wins: only these states are restarted on a change, as with pm2. */
    private static final Set<ProcessState> RESTARTED =
            Set.of(ProcessState.ONLINE, ProcessState.LAUNCHING, ProcessState.WAITING_RESTART, ProcessState.ERRORED);

    /** One app's watch: what it watches (to tell a change of options), its settle timer, the paths changed. */
    private static final class AppWatch {
        String key;
        long timer = -1;
        final Set<Path> changes = new LinkedHashSet<>();
    }

    private final Vertx vertx;
    private final Context context;
    private final Restarter restarter;
    private final IntFunction<Watched> watched;
    private final Map<Integer, AppWatch> apps = new HashMap<>();
    private FileWatcher files;

    WatchRule(Vertx vertx, Context context, Restarter restarter, IntFunction<Watched> watched) {
        this.vertx = vertx;
        this.context = context;
        this.restarter = restarter;
        this.watched = watched;
    }

    @Override
    public void applied(Watched w) {
        WatchdogOptions o = w.options;
        String key = o.watch() ? o.watchPaths() + "|" + o.ignoreWatch() + "|" + o.watchOptions() : null;
        AppWatch app = apps.get(w.pmId);
        if (Objects.equals(key, app == null ? null : app.key)) {
            return;
        }
        if (key == null) {
            forget(w);
            return;
        }
        if (app == null) {
            app = new AppWatch();
            apps.put(w.pmId, app);
        }
        app.key = key;
        if (files == null) {
            files = new FileWatcher((id, path) -> context.runOnContext(v -> onFileChange(id, path)));
        }
        FileWatcher watcher = files;
        vertx.executeBlocking(
                        () -> {
                            watcher.watch(w.pmId, o.watchPaths(), o.ignoreWatch(), o.watchOptions());
                            return watcher.watchedFolders();
                        },
                        true)
                .onComplete(
                        ar -> { // ordered: a toggle on then off must reach the watcher in that order
                            if (ar.failed()) {
                                LOG.warning(() -> w.app + ": cannot watch " + o.watchPaths() + ": "
                                        + ar.cause().getMessage());
                            } else {
                                LOG.info(() -> "pm_id " + w.pmId + " (" + w.app + ") watches " + o.watchPaths() + " ("
                                        + ar.result() + " folders watched in all)");
                            }
                        });
    }

    @Override
    public void forget(Watched w) {
        AppWatch app = apps.remove(w.pmId);
        if (app == null) {
            return;
        }
        if (app.timer >= 0) {
            vertx.cancelTimer(app.timer);
        }
        FileWatcher watcher = files;
        vertx.executeBlocking(
                () -> {
                    watcher.unwatch(w.pmId);
                    return null;
                },
                true);
    }

    @Override
    public void close() {
        if (files != null) {
            files.close();
        }
    }

    private void onFileChange(int pmId, Path path) {
        AppWatch app = apps.get(pmId);
        Watched w = watched.apply(pmId);
        if (app == null || w == null) {
            return;
        }
        app.changes.add(path);
        if (app.timer >= 0) {
            vertx.cancelTimer(app.timer);
        }
        app.timer = vertx.setTimer(w.options.watchDelayMs(), t -> {
            app.timer = -1;
            List<String> names =
                    app.changes.stream().limit(5).map(Path::toString).toList();
            String more =
                    app.changes.size() > names.size() ? " and " + (app.changes.size() - names.size()) + " more" : "";
            app.changes.clear();
            if (RESTARTED.contains(w.state)) {
                restarter.restart(w, null, ProcessEvent.WATCH_REASON + String.join(", ", names) + more + " changed");
            }
        });
    }
}
