package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.launcher.Launchers;
import io.jpm.launcher.UnixAppChannels;
import io.jpm.process.AppChannels;
import io.jpm.process.ProcessLauncher;
import io.jpm.process.ProcessLauncher.ExitStatus;
import io.jpm.process.ProcessState;
import io.jpm.protocol.Access;
import io.jpm.protocol.ActionRequest;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.HealthEvent;
import io.jpm.protocol.MetricsSample;
import io.jpm.protocol.ProcessEvent;
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
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * God: owns the process table and answers every command and query about processes. Wiring only:
 * each address is handed to a named operation: the lifecycle to {@link Supervisor}, starts to
 * {@link StartPlanner} and {@link NewInstances}, targets to {@link Targets}, restart and reload to
 * {@link Restarts}, delete to {@link Removal}, scale to {@link Scaler}, signal, stdin and reset to
 * {@link ProcessOps}, ecosystem files to {@link FileApps}, jlist and describe to {@link Listing},
 * Satan's facts and restarts to {@link SatanLink}.
 *
 * <p>Config: {@code {"home": "/path/to/JPM_HOME", "host": "name"}}.
 *
 * <p>A little over ~300 lines: wiring only, one line per address and the construction of the
 * operations it hands them to; nothing here decides anything.
 */
public final class GodVerticle extends JpmVerticle {
    private static final Logger LOG = Logger.getLogger("jpm.god");

    /** Every child spawned or adopted and not yet buried. */
    private final SpawnedChildren spawnedChildren;
    /** The daemon's app channels (wait_ready, shutdown_with_message), by JPM_HOME. */
    private final Function<Path, AppChannels> channels;
    /** Socket mode's listening sockets, which the keeper holds too. */
    private final SharedSockets sharedSockets;

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
        ProcessEvents events = new ProcessEvents(vertx, new PidFiles(vertx.fileSystem(), home));
        ProcessTable table = new ProcessTable();
        BalancerLink balancer = new BalancerLink(vertx);
        SocketShare socketShare = new SocketShare(vertx, sharedSockets, () -> {
            List<Instance> runs = new ArrayList<>(table.all());
            runs.addAll(table.oldRuns());
            return runs;
        });
        events.observe(socketShare::afterEvent);
        // without a crash restore (auto_dump off, no record) no run takes the sockets the keeper
        // handed over: they must not hold their ports for good
        vertx.setTimer(SharedSockets.UNCLAIMED_AT_THE_LATEST_MS, t -> sharedSockets.closeUnclaimed());
        ActionTriggers triggers = new ActionTriggers(vertx, table);
        Supervisor supervisor = new Supervisor(
                vertx,
                context,
                spawnedChildren,
                home,
                balancer,
                new Readiness(vertx, context, channels.apply(home), config().getBoolean("killUseMessage", false)),
                socketShare,
                triggers);
        NewInstances newInstances = new NewInstances(vertx, table, supervisor, balancer, events, home, host);
        RollingReload.Replacements replacements = new RollingReload.Replacements() {
            @Override
            public Instance nextRun(Instance old) {
                return newInstances.nextRunOf(old);
            }

            @Override
            public boolean giveBack(Instance fresh, Instance old) {
                return table.giveBack(fresh, old);
            }

            @Override
            public void dropOldRun(Instance old) {
                table.dropOldRun(old);
            }

            @Override
            public void retire(Instance instance) {
                table.remove(instance);
                instance.announceDeleted();
            }
        };
        Restarts restarts = new Restarts(supervisor, balancer, new RollingReload(supervisor, balancer, replacements));
        Targets targets = new Targets(vertx, table);
        ProcessOps processOps = new ProcessOps(table, supervisor, targets::resolve);
        SatanLink satan = new SatanLink(table, supervisor, restarts, home);
        FreshUsage usage = new FreshUsage(vertx.eventBus(), satan);
        Scaler scaler = new Scaler(table, supervisor, balancer, newInstances::startAt, replacements);
        // jpm.json's ecosystem.strict: read at each use, as the settings file says now
        AtomicBoolean strict = new AtomicBoolean(
                config().getJsonObject("ecosystem", new JsonObject()).getBoolean("strict", false));
        vertx.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.INTERNAL_SETTINGS,
                        m -> strict.set(m.body()
                                .getJsonObject("ecosystem", new JsonObject())
                                .getBoolean("strict", false)));
        OptionChanges optionChanges = new OptionChanges(
                vertx, table, app -> !socketShare.socketsOf(app).open().isEmpty());
        StartPlanner planner = new StartPlanner(
                vertx, table, newInstances::start, restarts::restart, restarts::reload, strict::get, optionChanges);
        SocketConnections connections = new SocketConnections(vertx);
        Listing listing =
                new Listing(table, balancer, new Describer(host, socketShare::socketsOf, connections::of), connections);
        Removal removal = new Removal(table, supervisor, balancer, listing);
        FileApps fileApps = new FileApps(vertx, table, strict::get, new FileApps.Actions() {
            @Override
            public Future<List<Instance>> startAll(List<AppConfig> configs) {
                return planner.startAll(configs);
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
        });
        removal.afterRemoval(fileApps::forgetUnused);
        planner.onFileStarted(fileApps::started);
        DumpedApps dumped = new DumpedApps(vertx, table, fileApps, planner::startAll);

        handle(Addresses.CMD_START, body -> planner.start(StartRequest.from(Plain.of(body)))
                .map(Listing::summariesOf));
        // pm2 stops watching whatever it stops (Client.executeRemote), with --watch or without
        handle(
                Addresses.CMD_STOP,
                body -> targets.act(
                        body,
                        (request, list) -> Listing.afterEach(
                                ProcessOps.toggleWatch(list, ActionRequest.Watch.OFF),
                                i -> supervisor.stop(i, "stop asked"))));
        handle(
                Addresses.CMD_RESTART,
                body -> targets.act(body, (request, list) -> ProcessOps.listenTimeoutMs(request.listenTimeout())
                        .compose(ms -> fileApps.refresh(list, request.restartOptions())
                                .compose(refreshed -> optionChanges.apply(
                                        refreshed,
                                        request.options(),
                                        Path.of(request.target().cwd())))
                                .map(refreshed -> ProcessOps.applyListenTimeout(refreshed, ms)))
                        .map(refreshed -> ProcessOps.toggleWatch(refreshed, request.watch()))
                        .compose(refreshed -> restarts.restart(refreshed, "restart asked", request.parallel()))
                        .map(Listing::summariesOf)));
        handle(
                Addresses.CMD_RELOAD,
                body -> targets.act(body, (request, list) -> ProcessOps.listenTimeoutMs(request.listenTimeout())
                        .compose(ms -> fileApps.refresh(list, request.restartOptions())
                                .compose(refreshed -> optionChanges.apply(
                                        refreshed,
                                        request.options(),
                                        Path.of(request.target().cwd())))
                                .map(refreshed -> ProcessOps.applyListenTimeout(refreshed, ms)))
                        .compose(refreshed -> restarts.reload(refreshed, "reload asked", request.parallel()))
                        .map(Listing::summariesOf)));
        handle(Addresses.CMD_SCALE, body -> scaler.scale(ScaleRequest.from(Plain.of(body)))
                .map(Listing::summariesOf));
        handle(Addresses.CMD_DELETE, body -> targets.of(body).compose(removal::delete));
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
            return new JsonObject().put("stopped", n);
        }));
        // jpm.json's access.read_only_sees_env: whether a read-only query sees env values (io.jpm.protocol.Access)
        AtomicBoolean readOnlySeesEnv =
                new AtomicBoolean(config().getJsonObject(Access.SETTINGS_SECTION, new JsonObject())
                        .getBoolean(Access.SEES_ENV, false));
        vertx.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.INTERNAL_SETTINGS,
                        m -> readOnlySeesEnv.set(m.body()
                                .getJsonObject(Access.SETTINGS_SECTION, new JsonObject())
                                .getBoolean(Access.SEES_ENV, false)));
        Function<JsonObject, EnvView> envView = body -> EnvView.of(
                body.getBoolean("env", true),
                Access.READ_ONLY.equals(body.getValue(Access.FIELD)),
                readOnlySeesEnv.get());
        // their replies are built for the request and never touched after: handed over, not copied
        ReportPace pace = wireReportPace(table);
        handleFresh(Addresses.QUERY_LIST, body -> {
            boolean tableView = ProcessView.TABLE_VIEW.equals(body.getString("view"));
            if (!tableView) {
                pace.watched(); // the rows carry the code metrics
            }
            return usage.get().compose(v -> listing.describeAll(envView.apply(body), tableView));
        });
        handleFresh(Addresses.QUERY_DESCRIBE, body -> {
            pace.watched();
            return targets.of(body)
                    .compose(list -> usage.get().compose(v -> listing.describe(list, envView.apply(body))));
        });
        handle(
                Addresses.INTERNAL_GOD_APPS,
                body -> Future.succeededFuture(dumped.dumpEntries(body.getBoolean("instances", false))));
        handle(Addresses.INTERNAL_GOD_RESTORE, body -> {
            for (Object o : body.getJsonArray("adopt", new JsonArray())) {
                table.expectAdoption(AdoptedRun.from(Plain.of((JsonObject) o)));
            }
            // the previous daemon's runs are adopted or started again: the sockets its keeper handed over
            // that none of them took are no app's
            return dumped.restore(body.getJsonArray("apps", new JsonArray()), body.getBoolean("handover", false))
                    .onComplete(ar ->
                            vertx.setTimer(SharedSockets.UNCLAIMED_GRACE_MS, t -> sharedSockets.closeUnclaimed()));
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
        handle(Addresses.INTERNAL_GOD_APPLY, body -> fileApps.apply(body.getString("file"), body.getString("text")));
        handle(Addresses.INTERNAL_GOD_RESTART, satan::restart);
        handle(Addresses.INTERNAL_GOD_LOG_FILES, body -> targets.of(body).map(Listing::logFiles));
        answerWithRecord(
                Addresses.INTERNAL_GOD_RUN, body -> Future.succeededFuture(satan.facts(body.getInteger("pm_id", -1))));
        handle(Addresses.INTERNAL_GOD_SHUTDOWN, body -> removal.stopEverything()
                .map(n -> new JsonObject().put("stopped", n)));
        vertx.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.EVENTS_HEALTH, m -> satan.applyHealth(HealthEvent.from(Plain.of(m.body()))));
        vertx.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.EVENTS_METRICS, m -> satan.applyMetrics(MetricsSample.from(Plain.of(m.body()))));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.EVENTS_APP_METRICS, m -> satan.applyAppMetrics(m.body()));
        ZombieSweep sweep = new ZombieSweep(vertx, context, spawnedChildren);
        spawnedChildren.sweep(sweep);
        return Future.succeededFuture();
    }

    /** The Node apps' report pace: told of the doors' followers of the figures and of each run online. */
    private ReportPace wireReportPace(ProcessTable table) {
        ReportPace pace = new ReportPace(vertx, table, () -> System.nanoTime() / 1_000_000);
        vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_METRICS_FOLLOWERS, m -> pace.told(m.body()));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.EVENTS_PROCESS, m -> {
            ProcessEvent event = ProcessEvent.from(Plain.of(m.body()));
            Instance instance = table.byId(event.pmId());
            if (ProcessState.ONLINE.word().equals(event.to()) && !event.oldRun() && instance != null) {
                pace.online(instance);
            }
        });
        return pace;
    }
}
