package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.launcher.Launchers;
import io.jpm.launcher.UnixAppChannels;
import io.jpm.process.AppChannels;
import io.jpm.process.ProcessLauncher;
import io.jpm.process.ProcessLauncher.ExitStatus;
import io.jpm.protocol.Access;
import io.jpm.protocol.ActionRequest;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.HealthEvent;
import io.jpm.protocol.MetricsSample;
import io.jpm.protocol.ProcessEvent;
import io.jpm.protocol.ProcessState;
import io.jpm.protocol.ProcessView;
import io.jpm.protocol.ScaleRequest;
import io.jpm.protocol.StartRequest;
import io.jpm.verticle.JpmVerticle;
import io.jpm.verticle.LocalBus;
import io.jpm.verticle.Plain;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * God: owns the process table and answers every command and query about processes. Wiring only:
 * each address is handed to a named operation: the lifecycle to {@link Supervisor}, starts to
 * {@link StartPlanner} and {@link NewInstances}, targets to {@link Targets}, restart and reload to
 * {@link Restarts}, delete to {@link Removal}, scale to {@link Scaler}, signal, stdin and reset to
 * {@link ProcessOps}, ecosystem files to {@link FileApps}, jlist and describe to {@link Listing},
 * Satan's facts and restarts to {@link SatanLink}, fleet apps (a cluster's) to {@link FleetLink} and
 * {@link FleetShare}.
 *
 * <p>Config: {@code {"home": "/path/to/JPM_HOME", "host": "name"}}.
 *
 * <p>Wiring only: the construction of the operations ({@link #supervision}, {@link #operations}) and
 * one line per address ({@link #commands}, {@link #queries}, {@link #internal}); nothing here decides
 * anything.
 */
public final class GodVerticle extends JpmVerticle {
    private static final Logger LOG = Logger.getLogger("jpm.god");

    /** Every child spawned or adopted and not yet buried. */
    private final SpawnedChildren spawnedChildren;
    /** The daemon's app channels (wait_ready, shutdown_with_message), by JPM_HOME. */
    private final Function<Path, AppChannels> channels;
    /** Socket mode's listening sockets, which the keeper holds too. */
    private final SharedSockets sharedSockets;

    // the operations each address is handed to, made by start()
    private ProcessTable table;
    private Supervisor supervisor;
    private BalancerLink balancer;
    private SocketShare socketShare;
    private ActionTriggers triggers;
    private NewInstances newInstances;
    private RollingReload.Replacements replacements;
    private Restarts restarts;
    private Targets targets;
    private ProcessOps processOps;
    private SatanLink satan;
    private FreshUsage usage;
    private Scaler scaler;
    private OptionChanges optionChanges;
    private StartPlanner planner;
    private Listing listing;
    private Removal removal;
    private FileApps fileApps;
    private DumpedApps dumped;
    private FleetLink fleet;
    private FleetShare fleetShare;
    /** jpm.json's ecosystem.strict, as the settings file says now. */
    private final AtomicBoolean strict = new AtomicBoolean();
    /** jpm.json's access.read_only_sees_env: whether a read-only query sees env values ({@link Access}). */
    private final AtomicBoolean readOnlySeesEnv = new AtomicBoolean();

    private GodVerticle(
            SpawnedChildren spawnedChildren, Function<Path, AppChannels> channels, SharedSockets sharedSockets) {
        this.spawnedChildren = spawnedChildren;
        this.channels = channels;
        this.sharedSockets = sharedSockets;
    }

    /** The daemon's God, its children spawned with this system's launcher and kept with the keeper. */
    public static GodVerticle of(ProcessLauncher.DescriptorKeeper keeper, Map<String, Integer> inheritedSockets) {
        ProcessLauncher launcher = Launchers.forThisSystem();
        launcher.keepDescriptorsWith(keeper);
        Map<Path, AppChannels> channels = new HashMap<>();
        return new GodVerticle(
                new SpawnedChildren(launcher),
                home -> channels.computeIfAbsent(home, UnixAppChannels::new),
                new SharedSockets(keeper, inheritedSockets));
    }

    /**
     * The seam for tests: God with another launcher and other app channels (a fake of both, whose
     * children are only numbers), so supervision is tested over the bus without processes.
     */
    static GodVerticle of(ProcessLauncher launcher, Function<Path, AppChannels> channels) {
        return new GodVerticle(new SpawnedChildren(launcher), channels, new SharedSockets());
    }

    @Override
    public Future<?> start() {
        Path home = Path.of(config().getString("home"));
        String host = config().getString("host", "localhost");
        settings(config());
        vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_SETTINGS, m -> settings(m.body()));
        supervision(home, host);
        operations(home, host);
        commands();
        queries();
        internal();
        ZombieSweep sweep = new ZombieSweep(vertx, context, spawnedChildren);
        spawnedChildren.sweep(sweep);
        return Future.succeededFuture();
    }

    /** jpm.json's settings God reads at each use: at the start, then as the settings file says. */
    private void settings(JsonObject settings) {
        strict.set(settings.getJsonObject("ecosystem", new JsonObject()).getBoolean("strict", false));
        readOnlySeesEnv.set(settings.getJsonObject(Access.SETTINGS_SECTION, new JsonObject())
                .getBoolean(Access.SEES_ENV, false));
    }

    /** The process table and what starts, stops, restarts and reloads its instances. */
    private void supervision(Path home, String host) {
        ProcessEvents events = new ProcessEvents(vertx, new PidFiles(vertx.fileSystem(), home));
        table = new ProcessTable();
        balancer = new BalancerLink(vertx);
        socketShare = new SocketShare(vertx, sharedSockets, () -> {
            List<Instance> runs = new ArrayList<>(table.all());
            runs.addAll(table.oldRuns());
            return runs;
        });
        events.observe(socketShare::afterEvent);
        // without a crash restore (auto_dump off, no record) no run takes the sockets the keeper
        // handed over: they must not hold their ports for good
        vertx.setTimer(SharedSockets.UNCLAIMED_AT_THE_LATEST_MS, t -> sharedSockets.closeUnclaimed());
        triggers = new ActionTriggers(vertx, table);
        supervisor = new Supervisor(
                vertx,
                context,
                spawnedChildren,
                home,
                balancer,
                new Readiness(vertx, context, channels.apply(home), config().getBoolean("killUseMessage", false)),
                socketShare,
                triggers);
        newInstances = new NewInstances(vertx, table, supervisor, balancer, events, home, host);
        replacements = newInstances.replacements();
        restarts = new Restarts(supervisor, balancer, new RollingReload(supervisor, balancer, replacements));
    }

    /** The operations the commands and queries are handed to. */
    private void operations(Path home, String host) {
        targets = new Targets(vertx, table);
        processOps = new ProcessOps(table, supervisor, targets::resolve);
        satan = new SatanLink(table, supervisor, restarts, home);
        usage = new FreshUsage(vertx.eventBus(), satan);
        scaler = new Scaler(table, supervisor, balancer, newInstances::startAt, replacements);
        optionChanges = new OptionChanges(
                vertx, table, app -> !socketShare.socketsOf(app).open().isEmpty());
        planner = new StartPlanner(
                vertx, table, newInstances::start, restarts::restart, restarts::reload, strict::get, optionChanges);
        SocketConnections connections = new SocketConnections(vertx);
        listing =
                new Listing(table, balancer, new Describer(host, socketShare::socketsOf, connections::of), connections);
        removal = new Removal(table, supervisor, balancer, listing);
        fileApps = new FileApps(vertx, table, strict::get, new FileActions());
        removal.afterRemoval(fileApps::forgetUnused);
        planner.onFileStarted(fileApps::started);
        dumped = new DumpedApps(vertx, table, fileApps, planner::startAll, newInstances::created);
        fleet = new FleetLink(vertx, table, targets);
        planner.placingFleetWith(fleet);
        fleetShare =
                new FleetShare(vertx, table, new FleetActions(newInstances, supervisor, restarts, removal, scaler));
    }

    /** The verbs. */
    private void commands() {
        handle(Addresses.CMD_START, body -> planner.start(StartRequest.from(Plain.map(body)))
                .map(Listing::summariesOf));
        // pm2 stops watching whatever it stops (Client.executeRemote), with --watch or without
        handle(
                Addresses.CMD_STOP,
                body -> fleet.act(
                        body,
                        "stop",
                        (request, list) -> Listing.afterEach(
                                ProcessOps.toggleWatch(list, ActionRequest.Watch.OFF),
                                i -> supervisor.stop(i, "stop asked"))));
        handle(Addresses.CMD_RESTART, body -> fleet.verb(body, "restart", this::restartHere));
        handle(Addresses.CMD_RELOAD, body -> fleet.verb(body, "reload", this::reloadHere));
        handle(
                Addresses.CMD_SCALE,
                body -> fleet.scale(
                        body, b -> scaler.scale(ScaleRequest.from(Plain.map(b))).map(Listing::summariesOf)));
        handle(Addresses.CMD_DELETE, body -> fleet.act(body, "delete", (request, list) -> removal.delete(list)));
        handle(Addresses.CMD_RESET, body -> targets.of(body).map(ProcessOps::reset));
        handle(Addresses.CMD_MONITOR, body -> targets.of(body).map(list -> ProcessOps.monitored(list, true)));
        handle(Addresses.CMD_UNMONITOR, body -> targets.of(body).map(list -> ProcessOps.monitored(list, false)));
        handle(Addresses.CMD_SIGNAL, processOps::signal);
        handle(Addresses.CMD_STDIN, processOps::writeStdin);
        handle(Addresses.CMD_SEND_DATA, processOps::sendData);
        handle(Addresses.CMD_TRIGGER, triggers::trigger);
        handle(Addresses.CMD_KILL, body -> removal.stopEverything().map(n -> {
            // the reply goes out first; then the daemon exits
            vertx.setTimer(100, t -> vertx.eventBus()
                    .publish(Addresses.INTERNAL_DAEMON_EXIT, new JsonObject(), LocalBus.only()));
            return stopped(n);
        }));
    }

    private Future<JsonArray> restartHere(JsonObject body) {
        return refreshedThen(
                body,
                (request, refreshed) -> restarts.restart(
                        ProcessOps.toggleWatch(refreshed, request.watch()), "restart asked", request.parallel()));
    }

    private Future<JsonArray> reloadHere(JsonObject body) {
        return refreshedThen(
                body, (request, refreshed) -> restarts.reload(refreshed, "reload asked", request.parallel()));
    }

    /**
     * Restart's and reload's pipeline: the targets, their options as the request and their files say
     * now (restart options, --listen-timeout, the options given), then {@code last} on them, whose
     * instances the reply summarises.
     */
    private Future<JsonArray> refreshedThen(
            JsonObject body, BiFunction<ActionRequest, List<Instance>, Future<List<Instance>>> last) {
        ActionRequest action = ActionRequest.from(Plain.map(body));
        return targets.resolve(action.target()).compose(list -> refreshed(action, list, last));
    }

    private Future<JsonArray> refreshed(
            ActionRequest request,
            List<Instance> list,
            BiFunction<ActionRequest, List<Instance>, Future<List<Instance>>> last) {
        return ProcessOps.listenTimeoutMs(request.listenTimeout())
                .compose(ms -> fileApps.refresh(list, request.restartOptions())
                        .compose(refreshed -> optionChanges.apply(
                                refreshed,
                                request.options(),
                                Path.of(request.target().cwd())))
                        .map(refreshed -> ProcessOps.applyListenTimeout(refreshed, ms)))
                .compose(refreshed -> last.apply(request, refreshed))
                .map(Listing::summariesOf);
    }

    /** The kill and shutdown replies: how many instances were stopped. */
    private static JsonObject stopped(int count) {
        return new JsonObject().put("stopped", count);
    }

    /** jlist and describe; each but the table's is a look at the code metrics ({@link ReportPace}). */
    private void queries() {
        ReportPace pace = reportPace();
        // their replies are built for the request and never touched after: handed over, not copied
        // the bridge's requests take rows partly encoded (SteadyParts): only the bridge encodes their replies
        handleFreshPartly(Addresses.QUERY_LIST, (body, partly) -> {
            boolean tableView = ProcessView.TABLE_VIEW.equals(body.getString("view"));
            if (!tableView) {
                pace.watched(); // the rows carry the code metrics
            }
            return usage.get().compose(v -> listing.describeAll(envView(body), tableView, partly));
        });
        handleFreshPartly(Addresses.QUERY_DESCRIBE, (body, partly) -> {
            pace.watched();
            return fleet.verb(body, "describe", b -> describeHere(b, partly));
        });
    }

    private Future<JsonArray> describeHere(JsonObject body, boolean partly) {
        return targets.of(body)
                .compose(list -> usage.get().compose(v -> listing.describe(list, envView(body), partly)));
    }

    private EnvView envView(JsonObject body) {
        return EnvView.of(
                body.getBoolean("env", true),
                Access.READ_ONLY.equals(body.getValue(Access.FIELD)),
                readOnlySeesEnv.get());
    }

    /** The Node apps' report pace: told of the doors' followers of the figures and of each run online. */
    private ReportPace reportPace() {
        ReportPace pace = new ReportPace(vertx, table, () -> System.nanoTime() / 1_000_000);
        vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_METRICS_FOLLOWERS, m -> pace.told(m.body()));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.EVENTS_PROCESS, m -> {
            ProcessEvent event = ProcessEvent.from(Plain.map(m.body()));
            Instance instance = table.byId(event.pmId());
            if (ProcessState.ONLINE.is(event.to()) && !event.oldRun() && instance != null) {
                pace.online(instance);
            }
        });
        return pace;
    }

    /** The other verticles' addresses: persistence, the keeper, the config watcher, Satan. */
    private void internal() {
        handle(
                Addresses.INTERNAL_GOD_APPS,
                body -> Future.succeededFuture(dumped.dumpEntries(body.getBoolean("instances", false))));
        handle(Addresses.INTERNAL_GOD_RESTORE, body -> {
            for (Object o : body.getJsonArray("adopt", new JsonArray())) {
                table.expectAdoption(AdoptedRun.from(Plain.map((JsonObject) o)));
            }
            // the previous daemon's runs are adopted or started again: the sockets its keeper handed over
            // that none of them took are no app's
            return dumped.restore(
                            body.getJsonArray("apps", new JsonArray()),
                            body.getBoolean("handover", false),
                            body.getString("begun"))
                    .onComplete(ar -> {
                        vertx.setTimer(SharedSockets.UNCLAIMED_GRACE_MS, t -> sharedSockets.closeUnclaimed());
                        fleet.restored();
                    });
        });
        // an adopted run is not this process's child: the keeper, its parent now, tells its exit
        vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_KEEPER_EXIT, m -> {
            JsonObject exit = m.body();
            int signal = exit.getInteger("signal", 0);
            spawnedChildren.adoptedExited(
                    exit.getInteger("pid", 0),
                    signal != 0 ? ExitStatus.ofWaitStatus(signal) : ExitStatus.code(exit.getInteger("code", 0)),
                    exit.getLong("at", 0L));
        });
        handle(Addresses.INTERNAL_GOD_FLEET, fleetShare::reconcile);
        handle(
                Addresses.INTERNAL_GOD_FLEET_VERB,
                body -> fleet.here(
                        body,
                        Map.of(
                                "restart", this::restartHere,
                                "reload", this::reloadHere,
                                "describe", b -> describeHere(b, false))));
        handle(Addresses.INTERNAL_GOD_APPLY, body -> fileApps.apply(body.getString("file"), body.getString("text")));
        handle(Addresses.INTERNAL_GOD_RESTART, satan::restart);
        handleFresh(Addresses.INTERNAL_GOD_FIGURES, body -> Future.succeededFuture(InstanceFigures.of(table)));
        handle(Addresses.INTERNAL_GOD_LOG_FILES, body -> targets.of(body).map(Listing::logFiles));
        answerWithRecord(
                Addresses.INTERNAL_GOD_RUN, body -> Future.succeededFuture(satan.facts(body.getInteger("pm_id", -1))));
        handle(Addresses.INTERNAL_GOD_SHUTDOWN, body -> removal.stopEverything().map(GodVerticle::stopped));
        vertx.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.EVENTS_HEALTH, m -> satan.applyHealth(HealthEvent.from(Plain.map(m.body()))));
        vertx.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.EVENTS_METRICS, m -> satan.applyMetrics(MetricsSample.from(Plain.map(m.body()))));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.EVENTS_APP_METRICS, m -> satan.applyAppMetrics(m.body()));
    }

    /** What a file's edit does to its apps, handed to the start planner, removal and restarts. */
    private final class FileActions implements FileApps.Actions {
        @Override
        public Future<List<Instance>> startAll(List<AppConfig> configs) {
            return planner.placeAll(configs);
        }

        @Override
        public Future<?> delete(List<Instance> instances) {
            return removal.delete(instances);
        }

        @Override
        public Future<List<Instance>> restart(List<Instance> instances, String reason) {
            return restarts.restart(instances, reason, 0);
        }

        @Override
        public Future<List<Instance>> reload(List<Instance> instances, String reason) {
            return restarts.reload(instances, reason, 0);
        }

        @Override
        public Future<?> deleteFleet(List<String> names) {
            return fleet.delete(names);
        }
    }
}
