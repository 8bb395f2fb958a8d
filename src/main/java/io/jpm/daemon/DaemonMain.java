package io.jpm.daemon;

import io.jpm.alerts.AlertsVerticle;
import io.jpm.balancer.ClusterBalancerVerticle;
import io.jpm.bridge.BridgeVerticle;
import io.jpm.config.BridgeSettings;
import io.jpm.config.ClusterSettings;
import io.jpm.ecosystem.ConfigWatcherVerticle;
import io.jpm.god.GodVerticle;
import io.jpm.heldport.HeldPorts;
import io.jpm.history.HistoryVerticle;
import io.jpm.internals.LibraryInternals;
import io.jpm.launcher.PumpPool;
import io.jpm.launcher.ThreadNice;
import io.jpm.logs.LogAggregatorVerticle;
import io.jpm.persist.PersistVerticle;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.Build;
import io.jpm.protocol.JpmEnv;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.ProcessEnd;
import io.jpm.protocol.SocketFolder;
import io.jpm.satan.SatanVerticle;
import io.jpm.verticle.LocalRecordCodec;
import io.jpm.verticle.OutputChunkCodec;
import io.jpm.web.WebSwitch;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The jpm daemon: one Vert.x, the verticles deployed in order (God; then the LogAggregator, ClusterBalancer,
 * Satan and the config watcher side by side; persistence, the cluster gate, then the bridge, the door, and the
 * web switch last), daemon.json written once the door is open. Stops every app before it exits, on {@code jpm
 * kill} and on SIGTERM/SIGINT alike; a hang ({@link HangWatch}) or a crash ends it without stopping one, and
 * its keeper starts the next daemon, which adopts them. The home is made ours and locked by {@link DaemonHome},
 * jpm.json read by {@link SettingsAtStart}, daemon.json and the pid files kept by {@link DaemonFiles}.
 */
public final class DaemonMain {
    static {
        StartTimeline.mark("JVM at DaemonMain");
        // its own handler format too (DaemonLogFormatter: SimpleFormatter's first line costs tens of ms)
        System.setProperty("java.util.logging.manager", DaemonLogManager.class.getName());
        // NuProcess's own hook stops reading children at JVM exit (and then spins until they are
        // gone), so our hook could never see the apps it stops exit. Ours stops them instead.
        System.setProperty("com.zaxxer.nuprocess.enableShutdownHook", "false");
        // Memory the daemon has no use for (docs/BENCHMARKS.md): Netty probing JFR loads its classes,
        // and Netty's DNS resolver is not needed by a daemon that binds loopback and a Unix socket.
        System.setProperty("io.netty.jfr.enabled", "false");
        System.setProperty("vertx.disableDnsResolver", "true");
        // slf4j is on the classpath for cron-utils only: Vert.x and Netty keep logging straight to JUL
        // rather than loading slf4j at start-up (docs/BENCHMARKS.md, idle RSS).
        System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.JULLogDelegateFactory");
        LibraryInternals.nettyLogsToJdk();
    }

    private static final Logger LOG = Logger.getLogger("jpm.daemon");
    /** How long a shutdown waits for apps to stop: beyond any sane wait of an app before SIGKILL. */
    private static final long SHUTDOWN_WAIT_MS = 60_000;

    private final JpmHome home;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private DaemonFiles files;
    private Vertx vertx;
    /** Every thread of the daemon's Vert.x, for the hang check. */
    private final VertxThreads threads = new VertxThreads();

    private DaemonKeeper keeper;
    /** The balancer's public ports, held by the keeper (heldport). */
    private HeldPorts publicPorts;

    private SocketFolder sockets;
    /** The start failed and the daemon is exiting for it: a failure that follows is not the reason. */
    private static volatile boolean startFailed;

    private DaemonMain(JpmHome home) {
        this.home = home;
    }

    public static void main(String[] args) throws Exception {
        StartTimeline.mark("main (logging and Netty's logger set)");
        JnaLibraryPath.set();
        JpmHome home = JpmHome.fromEnvironment();
        try {
            DaemonHome.prepareAndLock(home);
        } catch (JpmException e) {
            // daemon.log is its stderr: the client that started it prints the reason from there
            System.err.println("jpm daemon: " + StartFailure.MARKER + e.getMessage());
            ProcessEnd.exit(e.error().exitStatus());
            return;
        }
        StartTimeline.mark("home locked");
        StartWarmUp.begin(); // once the home is ours: a daemon that exits for another's lock loads nothing more
        DaemonMain daemon = new DaemonMain(home);
        // The main thread serves the first pump (children's pipes, notify sockets, the keeper's line)
        // from now on: it has nothing else to do once the daemon is up than read the keeper's line, and a
        // thread of its own for the pump would be one more than an idle daemon needs. The start runs meanwhile on
        // a thread that ends with it: it may wait for what the pump brings (a resurrected app's
        // readiness), which a pump served only after the start would bring too late.
        PumpPool.reserveFirst();
        new Thread(daemon::start, "jpm-start").start();
        try {
            PumpPool.serveFirst();
        } catch (RuntimeException | LinkageError e) {
            // a start that failed first is exiting: its exit may pull what this thread was loading from
            // under it (JNA's library file, deleted at exit), and the reason the client shows is the start's
            if (!startFailed) {
                LOG.severe(StartFailure.MARKER + "cannot watch descriptors (" + StartFailure.why(e) + ")");
            }
            ProcessEnd.exit(ProcessEnd.Code.FAILURE);
        }
    }

    /**
     * The start, then the keeper's line followed (on the first pump, or on this thread when it cannot
     * be). A failed start ends the JVM from here: main's thread serves the first pump by then. Under a
     * keeper that starts the next daemon it halts, as a crash ends: the apps it adopted or started run
     * on and that daemon adopts them (the shutdown hook would stop them, which only a keeper's first
     * daemon must, as that keeper ends with it).
     */
    private void start() {
        try {
            run();
        } catch (Exception | LinkageError e) {
            startFailed = true;
            if (e instanceof StartFailure.Refused) {
                LOG.severe(StartFailure.MARKER + e.getMessage());
            } else {
                LOG.log(Level.SEVERE, StartFailure.MARKER + StartFailure.why(e), e);
            }
            if (keeper != null && keeper.startsNext()) {
                LOG.info("the apps run on: the keeper starts the next daemon, which adopts them");
                ProcessEnd.halt(ProcessEnd.Code.FAILURE);
            }
            ProcessEnd.exit(ProcessEnd.Code.FAILURE);
        }
        keeper.followExits();
    }

    private void run() throws Exception {
        sockets = DaemonSockets.prepare(home);
        StartTimeline.mark("socket folder ready");
        keeper = DaemonKeeper.connect(Boolean.getBoolean("jpm.exitWithStdin"));
        StartTimeline.mark("keeper's inventory read");
        SupervisionNotes notes = new SupervisionNotes();
        notes.readKeeperGaveUp(home);
        String host = hostName();
        String token = Secrets.tokenIn(home.token());
        String readOnlyToken = Secrets.tokenIn(home.readOnlyToken());
        StartTimeline.mark("tokens read");
        JsonObject common = new JsonObject()
                .put("home", home.root().toString())
                .put("file_names", home.names().word())
                .put("host", host);
        // PM2_PID_FILE_PATH and PM2_KILL_USE_MESSAGE (or their JPM_ names)
        EnvironmentSettings environment =
                EnvironmentSettings.of(System.getenv(), Path.of("").toAbsolutePath());
        files = new DaemonFiles(home, environment.pidFile());
        // every verticle gets every settings section and reads its own ("logs", "satan", ...)
        Path settingsFile = home.root().resolve("jpm.json");
        String settingsError = SettingsAtStart.mergeInto(common, settingsFile);
        // the bridge's address and TLS are checked before anything starts (no app is resurrected
        // by a daemon that then refuses its own door)
        BridgeSettings bridgeSettings = SettingsAtStart.bridge(common, home);
        StartTimeline.mark("jpm.json read");
        boolean clustered = ClusterSettings.configured(common);
        publicPorts = new HeldPorts(keeper.descriptors(), keeper.publicSockets());
        vertx = DaemonVertx.create(threads, common.getJsonObject("satan"), publicPorts);
        Configs configs = new Configs(
                common,
                common.copy().put("killUseMessage", environment.killUseMessage()),
                common.copy()
                        .put("settingsFile", settingsFile.toString())
                        .put("scanPeriodMs", Long.parseLong(JpmEnv.CONFIG_SCAN_MS.valueOr("1000")))
                        .put("settingsError", settingsError),
                new JsonObject()
                        .put("host", bridgeSettings.host())
                        .put("port", bridgeSettings.port())
                        .put("cliSocket", sockets.jpmSocket().toString())
                        .put("limits", bridgeSettings.limits().toJson())
                        .put("token", token)
                        .put("readOnlyToken", readOnlyToken)
                        .put("tls", bridgeSettings.tls().toConfig()),
                common.copy().put("token", token).put("readOnlyToken", readOnlyToken));
        registerOwnConsumers(notes);
        // the public port's thread yields the cores to the owner's door and God (ThreadNice says why)
        BridgeVerticle bridge = new BridgeVerticle(() -> ThreadNice.setForCurrentThread(ThreadNice.YIELDING));
        StartFailure.await(deployAll(configs, bridge), clustered);
        long pid = ProcessHandle.current().pid();
        files.writeReady(DaemonFiles.readyInfo(pid, host, bridge, bridgeSettings));
        StartTimeline.mark("daemon.json written");
        StartTimeline.log();
        LOG.info(() -> "jpm daemon " + pid + " ready (jpm " + Build.current().describe() + "): bridge on "
                + bridgeSettings.host() + ":" + bridge.port()
                + (bridgeSettings.tls().on()
                        ? " (TLS, cert " + bridgeSettings.tls().cert() + ")"
                        : "")
                + ", home " + home.root());
        keeper.ready();
    }

    /** Each verticle's config: every settings section for all, and what one of them needs besides. */
    private record Configs(JsonObject common, JsonObject god, JsonObject watcher, JsonObject bridge, JsonObject web) {}

    /** The keeper's and the notes' consumers, and the daemon's own: daemon.json's HTTP port, exit, update. */
    private void registerOwnConsumers(SupervisionNotes notes) {
        keeper.onBus(vertx);
        notes.onBus(vertx);
        notes.keeper(keeper.pid(), keeper.whyNone());
        if (keeper.noPerl()) {
            notes.unprotected(keeper.whyNone()); // a missing perl is no choice: jpm ls says it too
        }
        keeper.whenGone(new KeeperReplacement(home, vertx, keeper, notes, files, stopping)::keeperDied);
        vertx.eventBus().registerCodec(new OutputChunkCodec());
        LocalRecordCodec.registerAll(vertx.eventBus());
        vertx.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.INTERNAL_DAEMON_HTTP,
                        // daemon.json is written on a worker, in order, never on the loop that hears it
                        m -> vertx.executeBlocking(
                                () -> {
                                    files.httpPortChanged(m.body().getInteger("httpPort"));
                                    return null;
                                },
                                true));
        vertx.eventBus().localConsumer(Addresses.INTERNAL_DAEMON_EXIT, m -> exitOnPurpose());
        vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_DAEMON_UPGRADE, m -> {
            String script = m.body().getString("script");
            List<String> command = m.body().getJsonArray("command").stream()
                    .map(Object::toString)
                    .toList();
            boolean renew = m.body().getBoolean("renew", false);
            new Thread(() -> leaveForUpdate(script, command, renew), "jpm-update").start();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "jpm-shutdown"));
        if (Boolean.getBoolean("jpm.exitWithStdin")) {
            ForegroundLeash.exitWhenStdinCloses(DaemonMain::exitOnPurpose);
        }
        StartTimeline.mark("daemon's own consumers registered");
    }

    /**
     * God first: the others may ask it at their start. Then, side by side (their starts run on both
     * cores: event loops and workers), what must be up before an app is resurrected: the log files,
     * the balancer, Satan's rules, the config watcher. Then persistence, whose start resurrects the
     * apps, and the cluster's join; the doors last: a client that finds the home's socket must meet
     * a daemon with its apps (KeeperIT: a kill right after a crash). daemon.json is written, and the
     * keeper told, after all of them (docs/ARCHITECTURE.md, "Start-up").
     */
    private Future<String> deployAll(Configs configs, BridgeVerticle bridge) {
        ClusterGate cluster = new ClusterGate(keeper.startsNext() ? this::endForAFailedJoin : null);
        JsonObject common = configs.common();
        return deploy(
                        "god",
                        GodVerticle.of(keeper.descriptors(), keeper.listeningSockets()),
                        new DeploymentOptions().setConfig(configs.god()))
                .compose(id -> Future.all(List.of(
                        // workers: the LogAggregator, the config watcher and persistence only read and write
                        // files, and a write that blocks holds one worker thread, not an event loop
                        deploy("logs", new LogAggregatorVerticle(), worker(common)),
                        deploy(
                                "balancer",
                                new ClusterBalancerVerticle(publicPorts),
                                new DeploymentOptions().setConfig(common)),
                        deploy("satan", new SatanVerticle(), new DeploymentOptions().setConfig(common)),
                        deploy("history", new HistoryVerticle(), new DeploymentOptions().setConfig(common)),
                        deploy("alerts", new AlertsVerticle(), new DeploymentOptions().setConfig(common)),
                        deploy("config", new ConfigWatcherVerticle(), worker(configs.watcher())))))
                .compose(all -> deploy("persist", new PersistVerticle(), worker(common)))
                .compose(id -> deploy("cluster", cluster, new DeploymentOptions().setConfig(common)))
                .compose(id -> deploy("bridge", bridge, new DeploymentOptions().setConfig(configs.bridge())))
                // the HTTP door, when jpm.json turns it on; a port it cannot bind does not stop the daemon
                .compose(id -> deploy("web", new WebSwitch(), new DeploymentOptions().setConfig(configs.web())))
                // the first request through the bus is slow: warm the path before announcing readiness
                .compose(id -> vertx.eventBus()
                        .request(Addresses.QUERY_PING, new JsonObject())
                        .map(id))
                .onSuccess(id -> StartTimeline.mark("first ping answered"));
    }

    /**
     * {@code jpm kill}, or the foreground jpm that ran this daemon gone: the JVM exits, its shutdown
     * hook stopping every app first. Ended from here, not main, whose thread serves the first pump for
     * the daemon's life; on a thread of its own, as the hook waits for the apps' exits, which the
     * pumps and the loops bring.
     */
    static void exitOnPurpose() {
        new Thread(() -> ProcessEnd.exit(ProcessEnd.Code.OK), "jpm-exit").start();
    }

    /**
     * {@code jpm update} with a keeper, or a renewal after a burst: this daemon goes and every app
     * stays. Its keeper runs the (new) keeper script once this JVM is gone, which starts the new daemon;
     * that one adopts every run from the handover, as after a crash. Halted, not exited: the shutdown
     * hook would stop the apps.
     */
    private void leaveForUpdate(String script, List<String> command, boolean renew) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        files.stopping();
        files.leaving();
        LOG.info("leaving " + (renew ? "for a fresh daemon" : "for an update")
                + ", every app still running: the keeper starts " + String.join(" ", command));
        letConnectionsEnd();
        keeper.upgrade(script, command, renew);
        ProcessEnd.halt(ProcessEnd.Code.OK);
    }

    /** The balanced apps' connections end here before the halt would cut them (their ports stay, the keeper's). */
    private void letConnectionsEnd() {
        long grace = ClusterBalancerVerticle.LEAVING_GRACE_MS;
        try {
            vertx.eventBus()
                    .request(
                            Addresses.INTERNAL_BALANCER_LEAVING,
                            new JsonObject(),
                            new DeliveryOptions().setSendTimeout(grace + 1000))
                    .await(grace + 2000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warning("leaving: connections not all ended: " + e.getMessage()); // the halt cuts them
        }
    }

    /** A join after the start that failed ({@link ClusterGate}): ended as a crash, the keeper's next daemon joins again. */
    private void endForAFailedJoin() {
        if (!stopping.get()) {
            ProcessEnd.halt(ProcessEnd.Code.FAILURE);
        }
    }

    /** Stops every app, then lets the JVM go. Runs once, from the shutdown hook. */
    private void shutdown() {
        if (!stopping.compareAndSet(false, true) || vertx == null) {
            return;
        }
        files.stopping();
        keeper.bye();
        LOG.info("daemon stopping: stopping every app");
        CountDownLatch done = new CountDownLatch(1);
        vertx.eventBus()
                .request(
                        Addresses.INTERNAL_GOD_SHUTDOWN,
                        new JsonObject(),
                        new DeliveryOptions().setSendTimeout(SHUTDOWN_WAIT_MS))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.warning("apps did not all stop: " + ar.cause().getMessage());
                    }
                    done.countDown();
                });
        try {
            done.await(SHUTDOWN_WAIT_MS + 1000, TimeUnit.MILLISECONDS);
            vertx.close().await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warning("shutdown: " + e);
        }
        files.remove();
        DaemonSockets.remove(sockets, home);
        LOG.info("daemon stopped");
    }

    /** Deploys a verticle under {@code name}: the hang check names it so in a dump and in {@code jpm ping}, timed. */
    private Future<String> deploy(String name, Deployable verticle, DeploymentOptions options) {
        return vertx.deployVerticle(verticle, options).onSuccess(id -> {
            threads.named(id, name);
            StartTimeline.mark(name + " deployed");
        });
    }

    private static DeploymentOptions worker(JsonObject config) {
        return new DeploymentOptions().setConfig(config).setThreadingModel(ThreadingModel.WORKER);
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
