package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.config.AppConfigParser;
import io.jpm.config.EcosystemFile;
import io.jpm.config.ReadRequest;
import io.jpm.protocol.ActionRequest;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.StartRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

/**
 * {@code jpm start} with pm2's rules: an id or a known name restarts it; the same script under the
 * same name is restarted when resting and refused when running (unless forced); an ecosystem file
 * restarts the apps it names that exist and starts the others. Everything is validated before
 * anything is started.
 */
final class StartPlanner {
    private final Vertx vertx;
    private final ProcessTable table;
    private final BiFunction<AppConfig, String, Future<List<Instance>>> startNew;
    private final Batch restart;
    private final Batch reload;
    private final OptionChanges optionChanges;
    /** Fleet apps ({@code hosts}) are placed by the cluster, not started here. */
    private FleetLink fleet;

    /** Restart or reload of running instances, at most {@code parallel} at a time (0: all at once). */
    interface Batch {
        Future<List<Instance>> apply(List<Instance> instances, String reason, int parallel);
    }
    /** Told (file, how it was read, the text read) once the apps of a file have started. */
    private FileStarted fileStarted = (file, read, text) -> {};
    /** jpm.json's ecosystem.strict, as it reads now. */
    private final BooleanSupplier strictSetting;

    interface FileStarted {
        void started(Path file, ReadRequest read, String text);
    }

    /** A file's text as read for a start, and its apps. */
    private record FileRead(String text, List<AppConfig> configs) {}

    StartPlanner(
            Vertx vertx,
            ProcessTable table,
            BiFunction<AppConfig, String, Future<List<Instance>>> startNew,
            Batch restart,
            Batch reload,
            BooleanSupplier strictSetting,
            OptionChanges optionChanges) {
        this.vertx = vertx;
        this.table = table;
        this.startNew = startNew;
        this.restart = restart;
        this.reload = reload;
        this.strictSetting = strictSetting;
        this.optionChanges = optionChanges;
    }

    void onFileStarted(FileStarted listener) {
        this.fileStarted = listener;
    }

    void placingFleetWith(FleetLink link) {
        this.fleet = link;
    }

    Future<List<Instance>> start(StartRequest request) {
        boolean strict = request.strict() || strictSetting.getAsBoolean();
        if (request.file() != null) {
            Path file = Path.of(request.cwd()).resolve(request.file()).normalize();
            ReadRequest read = new ReadRequest(
                    request.env(),
                    Path.of(request.cwd()),
                    request.envName(),
                    request.only(),
                    strict,
                    request.fileDefaults());
            return vertx.executeBlocking(
                            () -> {
                                String text = EcosystemFile.text(file);
                                return new FileRead(text, EcosystemFile.parse(file, text, read));
                            },
                            false)
                    .compose(fileRead -> placeThenStart(
                                    fileRead.configs(),
                                    (list, reason) -> (StartRequest.RELOAD.equals(request.action()) ? reload : restart)
                                            .apply(list, reason, request.parallel()))
                            .onSuccess(started -> fileStarted.started(file, read, fileRead.text())));
        }
        if (request.apps().size() != 1 || !(request.apps().get(0) instanceof Map<?, ?> declared)) {
            return Future.failedFuture(
                    new JpmException(JpmError.INVALID_ARGUMENT, "start takes one script or one ecosystem file"));
        }
        @SuppressWarnings("unchecked")
        JsonObject app = new JsonObject((Map<String, Object>) declared);
        Object script = app.getValue(AppOption.SCRIPT.key);
        String named = script instanceof String s ? s : "";
        return fleet.startByName(named).compose(fleetApp -> fleetApp.map(Future::succeededFuture)
                .orElseGet(() -> startOne(app, named, request, strict)));
    }

    /** start of one script or one known app (its id or name) of this daemon. */
    private Future<List<Instance>> startOne(JsonObject app, String script, StartRequest request, boolean strict) {
        List<Instance> existing = existingByIdOrName(script);
        if (!existing.isEmpty()) {
            return withOptions(existing, app, request)
                    .compose(list -> restart.apply(list, "start of existing process", 0));
        }
        AppConfigParser parser =
                new AppConfigParser("command line", Path.of(request.cwd()), request.env()).strict(strict);
        return vertx.executeBlocking(() -> parser.parse(app, request.envName()), false)
                .compose(config -> {
                    if (config.origin().fleet()) {
                        return fleet.place(List.of(config));
                    }
                    List<Instance> same = table.all().stream()
                            .filter(i -> i.config().script().equals(config.script())
                                    && i.name().equals(config.name()))
                            .toList();
                    if (same.isEmpty() || request.force() || config.ecosystem().force()) {
                        return startNew.apply(config, "start");
                    }
                    if (same.stream().anyMatch(i -> i.state().isActive())) {
                        return Future.failedFuture(new JpmException(
                                JpmError.ALREADY_LAUNCHED,
                                "Script already launched, add -f option to force re-execution"));
                    }
                    return withOptions(same, app, request)
                            .compose(list -> restart.apply(list, "start of a resting process", 0));
                });
    }

    /**
     * pm2's start of an app that exists restarts it with the flags given merged into its options
     * ({@link OptionChanges}); {@code --watch} alone switches its watching on or off, as pm2's does.
     */
    private Future<List<Instance>> withOptions(List<Instance> existing, JsonObject app, StartRequest request) {
        JsonObject options = app.copy();
        String watch = AppOption.WATCH.key;
        boolean toggleWatch = Boolean.TRUE.equals(options.remove(watch));
        if (!toggleWatch && app.containsKey(watch)) {
            options.put(watch, app.getValue(watch)); // --watch=paths: what to watch, not a switch
        }
        return optionChanges
                .apply(existing, options.getMap(), Path.of(request.cwd()))
                .map(changed -> toggleWatch ? ProcessOps.toggleWatch(changed, ActionRequest.Watch.TOGGLE) : changed);
    }

    private List<Instance> existingByIdOrName(String script) {
        if (script.matches("\\d+")) {
            Instance instance = table.byId(Integer.parseInt(script));
            if (instance == null) {
                throw new JpmException(JpmError.UNKNOWN_TARGET, "process " + script + " not found");
            }
            return List.of(instance);
        }
        boolean nameLike = !script.contains("/") && !script.contains(".");
        if (!nameLike) {
            return List.of();
        }
        // pm2's start <name|namespace>: an app's name first, else every app of that namespace
        List<Instance> named = table.named(script);
        return !named.isEmpty()
                ? named
                : table.all().stream()
                        .filter(i -> i.config().ecosystem().namespace().equals(script))
                        .toList();
    }

    /**
     * Starts (or restarts) the apps of a file; an app with depends_on starts once the apps it names
     * have settled (online, or given up), the others at once. {@code configs} is in start order.
     */
    Future<List<Instance>> startAll(List<AppConfig> configs) {
        return startAll(configs, (list, reason) -> restart.apply(list, reason, 0));
    }

    /** As {@link #startAll(List)}, the fleet apps among them placed in the cluster (a watched file's new apps). */
    Future<List<Instance>> placeAll(List<AppConfig> configs) {
        return placeThenStart(configs, (list, reason) -> restart.apply(list, reason, 0));
    }

    /**
     * As {@link #startAll(List, BiFunction)}, once the fleet apps among {@code configs} are placed in the
     * cluster (each member, this one too, runs its share): a fleet app refused (a host unknown, no
     * cluster) refuses the lot, and nothing starts.
     */
    private Future<List<Instance>> placeThenStart(
            List<AppConfig> configs, BiFunction<List<Instance>, String, Future<List<Instance>>> existingAction) {
        List<AppConfig> fleetApps =
                configs.stream().filter(c -> c.origin().fleet()).toList();
        if (fleetApps.isEmpty()) {
            return startAll(configs, existingAction);
        }
        List<AppConfig> local =
                configs.stream().filter(c -> !c.origin().fleet()).toList();
        return fleet.place(fleetApps)
                .compose(placed -> startAll(local, existingAction).map(started -> {
                    List<Instance> all = new ArrayList<>(started);
                    all.addAll(placed);
                    return all;
                }));
    }

    /**
     * As {@link #startAll(List)}; the apps that already run take the file's config as it reads now
     * (pm2 re-applies a file's env on start, startOrRestart and startOrReload) and go through
     * {@code existingAction}.
     */
    private Future<List<Instance>> startAll(
            List<AppConfig> configs, BiFunction<List<Instance>, String, Future<List<Instance>>> existingAction) {
        List<Future<List<Instance>>> started = new ArrayList<>();
        Map<String, Future<List<Instance>>> byName = new HashMap<>();
        for (AppConfig config : configs) {
            List<Future<List<Instance>>> before = config.origin().dependsOn().stream()
                    .map(byName::get)
                    .filter(Objects::nonNull)
                    .toList();
            Future<List<Instance>> one = Future.join(before).transform(ignored -> {
                List<Instance> existing = table.named(config.name());
                if (existing.isEmpty()) {
                    return startNew.apply(config, "start");
                }
                takeConfig(existing, config);
                return existingAction.apply(existing, "start of existing app");
            });
            byName.put(config.name(), one);
            started.add(one);
        }
        return Future.all(started).map(all -> {
            List<Instance> instances = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                instances.addAll(all.<List<Instance>>resultAt(i));
            }
            return instances;
        });
    }

    /**
     * The running instances of an app take its new config. The instance count, log and pid paths are
     * fixed per instance: a file that changes those is applied by a hot reload or scale, not here.
     */
    private static void takeConfig(List<Instance> existing, AppConfig config) {
        AppConfig now = existing.get(0).config();
        boolean sameShape = existing.size() == config.instances()
                && Objects.equals(now.outFile(), config.outFile())
                && Objects.equals(now.errorFile(), config.errorFile())
                && Objects.equals(now.ecosystem().pidFile(), config.ecosystem().pidFile());
        if (sameShape) {
            // the file's watch applies again, whatever a stop or restart --watch toggled (pm2 re-reads it)
            existing.forEach(i -> {
                i.reconfigure(config);
                i.watchAsConfigured();
            });
        }
    }

    /** The apps array of an ecosystem file ({@code {"apps":[...]}} or a bare array), read for a command run in {@code cwd}; blocking. */
    static JsonArray readApps(Path file, Map<String, String> env, Path cwd) {
        return EcosystemFile.apps(file, EcosystemFile.text(file), env, cwd);
    }
}
