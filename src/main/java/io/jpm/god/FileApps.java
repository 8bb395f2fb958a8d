package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.config.AppConfigParser;
import io.jpm.config.EcosystemFile;
import io.jpm.config.ReadRequest;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.RestartOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * The apps God runs from ecosystem files, and what re-reads them: hot reload (validate, diff against
 * what runs from the file, apply), and {@code --update-env} ({@link DumpedApps} saves and restores them). Runs on
 * God's event loop; files are read and validated on a worker.
 */
final class FileApps {
    private static final Logger LOG = Logger.getLogger("jpm.god");

    /** How a file was started: what its apps are re-read with when it changes. */
    record Link(Path file, ReadRequest read) {
        List<String> only() {
            return read.only();
        }
    }

    /** God's operations the diff is applied with. */
    interface Actions {
        Future<List<Instance>> startAll(List<AppConfig> configs);

        Future<?> delete(List<Instance> instances);

        Future<List<Instance>> restart(List<Instance> instances, String reason);

        /** pm2's reload: rolling, behind the balancer, for apps with a {@code port}. */
        Future<List<Instance>> reload(List<Instance> instances, String reason);

        /** Fleet apps gone from the file: deleted on every member (their definitions say so). */
        Future<?> deleteFleet(List<String> names);
    }

    private final Vertx vertx;
    private final ProcessTable table;
    private final Actions actions;
    private final Map<String, Link> links = new HashMap<>();

    /** jpm.json's ecosystem.strict as it reads now: a file started without --strict is read strictly once it is on. */
    private final BooleanSupplier strictSetting;

    FileApps(Vertx vertx, ProcessTable table, BooleanSupplier strictSetting, Actions actions) {
        this.vertx = vertx;
        this.strictSetting = strictSetting;
        this.table = table;
        this.actions = actions;
    }

    /**
     * A file's apps were started: watch it from now on.
     *
     * @param text what the start read, which the watch tells later texts against (an edit saved
     *     before the watch's first look is a change, not its baseline); null: what the watch first reads
     */
    void started(Path file, ReadRequest read, String text) {
        Link earlier = links.get(file.toString());
        List<String> only = read.only();
        List<String> apps = List.copyOf(only);
        if (earlier != null && !earlier.only().isEmpty() && !only.isEmpty()) {
            // two starts with --only: the file now runs both selections
            Set<String> union = new LinkedHashSet<>(earlier.only());
            union.addAll(only);
            apps = List.copyOf(union);
        } else if (earlier != null && earlier.only().isEmpty()) {
            apps = List.of();
        }
        links.put(
                file.toString(),
                new Link(
                        file,
                        new ReadRequest(read.env(), read.cwd(), read.envName(), apps, read.strict(), read.defaults())));
        watch(file.toString(), true, text);
    }

    /** Apps were deleted: stop watching files none of whose apps remain. */
    void forgetUnused() {
        for (String file : new ArrayList<>(links.keySet())) {
            if (table.all().stream()
                    .noneMatch(i -> file.equals(i.config().origin().file()))) {
                links.remove(file);
                watch(file, false, null);
            }
        }
    }

    private void watch(String file, boolean on, String text) {
        vertx.eventBus()
                .send(
                        Addresses.INTERNAL_CONFIG_WATCH,
                        new JsonObject().put("file", file).put("watch", on).put("text", text));
    }

    // ---- hot reload ----

    /** A watched file changed to {@code text}: validate it, diff it against what runs from it, apply. */
    Future<JsonObject> apply(String file, String text) {
        Link link = links.get(file);
        if (link == null) {
            return Future.failedFuture(
                    new JpmException(JpmError.UNKNOWN_TARGET, file + ": no app runs from this file"));
        }
        ReadRequest was = link.read().allApps();
        ReadRequest read = new ReadRequest(
                was.env(),
                was.cwd(),
                was.envName(),
                was.only(),
                was.strict() || strictSetting.getAsBoolean(),
                was.defaults());
        return vertx.executeBlocking(() -> EcosystemFile.parseWhole(link.file(), text, read), false)
                .compose(parsed -> parsed.hotReload()
                        ? applyDiff(file, parsed.apps(), link.only())
                        // the file says hot_reload: false, pm2's habit: the edit waits for a restart or reload of the
                        // file
                        : Future.succeededFuture(new JsonObject().put("waiting", true)));
    }

    /**
     * @param declared every app the file now declares, in start order
     * @param only the apps the file was started with --only (empty: all); other apps of the file
     *     are not started, but an app gone from the file goes whatever the selection
     */
    private Future<JsonObject> applyDiff(String file, List<AppConfig> declared, List<String> only) {
        FileDiff fileDiff = FileDiff.of(file, declared, only, table);
        JsonObject diff = fileDiff.toJson();
        LOG.info(() -> file + " changed: " + diff.encode());
        List<AppConfig> toStart = new ArrayList<>(fileDiff.added());
        List<Future<?>> restarts = new ArrayList<>();
        List<Instance> replaced = new ArrayList<>(fileDiff.removed().stream()
                .filter(i -> !i.config().origin().fleet())
                .toList());
        List<String> fleetGone = fileDiff.removed().stream()
                .filter(i -> i.config().origin().fleet())
                .map(Instance::name)
                .distinct()
                .toList();
        fileDiff.changed().forEach((config, running) -> {
            if (config.origin().fleet() && running.get(0).config().origin().fleet()) {
                // placed again: each member's share follows its new definition (a hosts edit moves instances)
                toStart.add(config);
            } else if (FileDiff.needsNewInstances(running, config)) {
                replaced.addAll(running);
                toStart.add(config);
            } else {
                running.forEach(i -> i.reconfigure(config));
                // a stopped app takes its new config and stays stopped until asked
                List<Instance> active =
                        running.stream().filter(i -> i.state().isActive()).toList();
                restarts.add(
                        AppOption.PORT.givenIn(config.source().getMap())
                                ? actions.reload(active, "config file changed")
                                : actions.restart(active, "config file changed"));
            }
        });
        // start order follows depends_on: keep the file's sorted order among what starts
        List<AppConfig> ordered =
                fileDiff.configs().stream().filter(toStart::contains).toList();
        return actions.delete(replaced)
                .compose(v -> actions.deleteFleet(fleetGone))
                .compose(v -> Future.join(restarts))
                .compose(v -> actions.startAll(ordered))
                .map(diff);
    }

    // ---- --update-env ----

    /** pm2's immutable env: unless asked, restart keeps each app's config; else re-read it. */
    Future<List<Instance>> refresh(List<Instance> instances, RestartOptions options) {
        if (!options.updateEnv()) {
            return Future.succeededFuture(instances);
        }
        Map<String, AppConfig> current = new LinkedHashMap<>();
        instances.forEach(i -> current.putIfAbsent(i.name(), i.config()));
        // the links are God's: read here, on its event loop, not on the worker
        Map<String, ReadRequest> startedWith = new HashMap<>();
        boolean strict = strictSetting.getAsBoolean();
        links.forEach((file, link) -> startedWith.put(
                file,
                link.read().strict() || !strict
                        ? link.read()
                        : new ReadRequest(
                                link.read().env(),
                                link.read().cwd(),
                                link.read().envName(),
                                link.read().only(),
                                true,
                                link.read().defaults())));
        return vertx.executeBlocking(
                        () -> {
                            Map<String, AppConfig> fresh = new HashMap<>();
                            for (AppConfig config : current.values()) {
                                fresh.put(
                                        config.name(),
                                        reread(
                                                config,
                                                options,
                                                startedWith.get(config.origin().file())));
                            }
                            return fresh;
                        },
                        false)
                .map(fresh -> {
                    instances.forEach(i -> i.reconfigure(fresh.get(i.name())));
                    // the file's next edit is read with the env the apps now run with, or it would undo this
                    fresh.values().forEach(config -> {
                        Link link = config.origin().file() == null
                                ? null
                                : links.get(config.origin().file());
                        if (link != null) {
                            ReadRequest was = link.read();
                            links.put(
                                    link.file().toString(),
                                    new Link(
                                            link.file(),
                                            new ReadRequest(
                                                    options.env(),
                                                    was.cwd(),
                                                    config.origin().envName(),
                                                    was.only(),
                                                    was.strict(),
                                                    was.defaults())));
                        }
                    });
                    return instances;
                });
    }

    /**
     * An app read again with the client's env: from its file when it still declares it (from the
     * folder the file was started from, so relative paths mean what they meant), else from its source.
     */
    private static AppConfig reread(AppConfig config, RestartOptions options, ReadRequest startedWith) {
        String envName =
                options.envName() != null ? options.envName() : config.origin().envName();
        String file = config.origin().file();
        if (file != null && Files.isRegularFile(Path.of(file))) {
            ReadRequest read = new ReadRequest(
                    options.env(),
                    startedWith == null ? null : startedWith.cwd(),
                    envName,
                    List.of(),
                    startedWith != null && startedWith.strict(),
                    startedWith == null ? Map.of() : startedWith.defaults());
            for (AppConfig candidate : EcosystemFile.read(Path.of(file), read)) {
                if (candidate.name().equals(config.name())) {
                    return candidate;
                }
            }
        }
        return new AppConfigParser("app '" + config.name() + "'", config.cwd(), options.env())
                .withOrigin(file, config.origin().commandCwd())
                .parse(config.source(), envName)
                .withDeclared(config.declared());
    }

    /** True when the file's apps are already re-read on change. */
    boolean linked(String file) {
        return links.containsKey(file);
    }

    /** What the file's apps are re-read with on an edit; null when none runs from it. */
    ReadRequest readRequest(String file) {
        Link link = links.get(file);
        return link == null ? null : link.read();
    }
}
