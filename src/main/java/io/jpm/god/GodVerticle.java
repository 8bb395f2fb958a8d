package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.config.AppConfigParser;
import io.jpm.config.EcosystemFile;
import io.jpm.config.LogPaths;
import io.jpm.launcher.NuProcessLauncher;
import io.jpm.launcher.UnixAppChannels;
import io.jpm.process.AppChannels;
import io.jpm.process.ProcessState;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.HealthEvent;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.MetricsSample;
import io.jpm.protocol.Reply;
import io.jpm.protocol.ScaleRequest;
import io.jpm.protocol.RestartOptions;
import io.jpm.protocol.StartRequest;
import io.jpm.protocol.Succession;
import io.jpm.protocol.TargetRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * God: owns the process table and answers every command and query about processes. Wiring only:
 * the lifecycle is in {@link Supervisor}, the start rules in {@link StartPlanner}, the pm2 shape in
 * {@link Describer}.
 *
 * <p>Config: {@code {"home": "/path/to/JPM_HOME", "host": "name"}}.
 */
public final class GodVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger("jpm.god");
  /** How often exited main processes whose pipes are still held are looked for. */
  private static final long ZOMBIE_SWEEP_MS = 1000;

  /** Shared by every deployment of God in this daemon: the children outlive any one of them. */
  private final Custody custody;
  /** The daemon's app channels (wait_ready, shutdown_with_message), by JPM_HOME. */
  private final java.util.function.Function<Path, AppChannels> channels;
  private ProcessTable table;
  private Succession succession;
  private Supervisor supervisor;
  private Restarts restarts;
  private ProcessOps processOps;
  private BalancerLink balancer;
  private Scaler scaler;
  private StartPlanner planner;
  private Describer describer;
  private PidFiles pidFiles;
  private FileApps fileApps;
  private Path home;
  private String host;

  private GodVerticle(Custody custody, java.util.function.Function<Path, AppChannels> channels) {
    this.custody = custody;
    this.channels = channels;
  }

  /**
   * God's deployments for one daemon: each shares the custody of the children, so a fresh God
   * deployed because the last one hung takes its processes over ({@link Takeover}).
   */
  public static java.util.function.Supplier<io.vertx.core.Deployable> lineage() {
    Custody custody = new Custody(new NuProcessLauncher());
    // one set of app channels per daemon, shared like the custody: a fresh God keeps its children's
    Map<Path, AppChannels> channels = new java.util.concurrent.ConcurrentHashMap<>();
    return () -> new GodVerticle(custody, home -> channels.computeIfAbsent(home, UnixAppChannels::new));
  }

  /**
   * Starts a reign, under the custody's lock: two fresh Gods (one deployed on the stuck event loop
   * and started late, and the one deployed after it) take over one after the other, and one
   * already superseded when it gets to start does not start at all.
   */
  @Override
  public Future<?> start() {
    succession = Succession.of(vertx, "god", config());
    synchronized (custody) {
      if (!succession.current()) {
        return Future.failedFuture("God generation " + succession.generation() + " was replaced before it started");
      }
      reign();
    }
    return Future.succeededFuture();
  }

  private void reign() {
    home = Path.of(config().getString("home"));
    host = config().getString("host", "localhost");
    pidFiles = new PidFiles(vertx.fileSystem(), home.resolve("pids"));
    Custody.Realm previous = custody.predecessor();
    Map<Instance, Instance> copies = new java.util.IdentityHashMap<>();
    table = previous == null ? new ProcessTable()
        : ProcessTable.copyOf(previous.table(), old -> Instance.copyOf(old, eventsOf(old.config)), copies);
    balancer = new BalancerLink(vertx, succession::current);
    supervisor = new Supervisor(vertx, context, custody, succession, home, balancer,
        new Readiness(vertx, context, channels.apply(home)));
    RollingReload.Replacements replacements = new RollingReload.Replacements() {
      @Override
      public Instance nextRun(Instance old) {
        return nextRunOf(old);
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
    restarts = new Restarts(supervisor, balancer, new RollingReload(supervisor, balancer, replacements));
    processOps = new ProcessOps(table, supervisor, this::resolve);
    scaler = new Scaler(table, supervisor, balancer, this::startAt, replacements);
    planner = new StartPlanner(vertx, table, this::startNew, this::restartAll, this::reloadAll);
    fileApps = new FileApps(vertx, table, succession::current, new FileApps.Actions() {
      @Override
      public Future<List<Instance>> startAll(List<AppConfig> configs) {
        return planner.startAll(configs);
      }

      @Override
      public Future<?> delete(List<Instance> instances) {
        return GodVerticle.this.delete(instances);
      }

      @Override
      public Future<List<Instance>> restart(List<Instance> instances, String reason) {
        return restartAll(instances, reason);
      }

      @Override
      public Future<List<Instance>> reload(List<Instance> instances, String reason) {
        return reloadAll(instances, reason);
      }
    });
    planner.onFileStarted(fileApps::started);
    describer = new Describer(host, home.resolve("pids"));
    if (previous != null) {
      fileApps.adopt(previous.fileApps());
    }

    handle(Addresses.CMD_START, body -> planner.start(StartRequest.fromJson(body)).map(GodVerticle::summariesOf));
    handle(Addresses.CMD_STOP, body -> targets(body).map(list -> toggleWatch(list, body))
        .compose(list -> each(list, i -> supervisor.stop(i, "stop asked"))));
    handle(Addresses.CMD_RESTART, body -> targets(body).compose(list -> fileApps.refresh(list, RestartOptions.fromJson(body)))
        .map(list -> toggleWatch(list, body))
        .compose(list -> restartAll(list, "restart asked", RestartOptions.fromJson(body).parallel()))
        .map(GodVerticle::summariesOf));
    handle(Addresses.CMD_RELOAD, body -> targets(body).compose(list -> fileApps.refresh(list, RestartOptions.fromJson(body)))
        .compose(list -> reloadAll(list, "reload asked", RestartOptions.fromJson(body).parallel()))
        .map(GodVerticle::summariesOf));
    handle(Addresses.CMD_SCALE, body -> scaler.scale(ScaleRequest.fromJson(body)).map(GodVerticle::summariesOf));
    handle(Addresses.CMD_DELETE, body -> targets(body).compose(this::delete));
    handle(Addresses.INTERNAL_GOD_APPS, body -> Future.succeededFuture(fileApps.dumpEntries(body.getBoolean("instances", false))));
    handle(Addresses.INTERNAL_GOD_RESTORE, body -> fileApps.restore(body.getJsonArray("apps", new JsonArray()),
        body.getBoolean("handover", false)));
    handle(Addresses.INTERNAL_GOD_BALANCED, body -> Future.succeededFuture(BalancerLink.balancedApps(table.all())));
    handle(Addresses.INTERNAL_GOD_FILES, body -> Future.succeededFuture(new JsonObject().put("files", fileApps.files())));
    handle(Addresses.INTERNAL_GOD_APPLY, body -> fileApps.apply(body.getString("file"), body.getString("text")));
    handle(Addresses.CMD_RESET, body -> targets(body).map(ProcessOps::reset));
    handle(Addresses.CMD_SIGNAL, body -> processOps.signal(body));
    handle(Addresses.CMD_STDIN, body -> processOps.writeStdin(body));
    handle(Addresses.CMD_KILL, body -> stopEverything().map(n -> {
      // the reply goes out first; then the daemon exits
      vertx.setTimer(100, t -> vertx.eventBus().publish(Addresses.INTERNAL_DAEMON_EXIT, new JsonObject()));
      return new JsonObject().put("stopped", n);
    }));
    handle(Addresses.QUERY_LIST, body -> describeAll(listed(), body.getBoolean("env", true))
        .map(all -> Describer.TABLE_VIEW.equals(body.getString("view")) ? Describer.tableView(all) : all));
    handle(Addresses.QUERY_DESCRIBE, body -> targets(body).compose(list -> describeAll(list, body.getBoolean("env", true))));
    handle(Addresses.INTERNAL_GOD_PING, body -> Future.succeededFuture(new JsonObject().put("processes", table.all().size())));
    handle(Addresses.INTERNAL_GOD_RESTART, this::restartForSatan);
    succession.<JsonObject>consumer(Addresses.EVENTS_HEALTH, m -> applyHealth(HealthEvent.fromJson(m.body())));
    handle(Addresses.INTERNAL_GOD_SHUTDOWN, body -> stopEverything().map(n -> new JsonObject().put("stopped", n)));
    succession.<JsonObject>consumer(Addresses.EVENTS_METRICS, m -> applyMetrics(MetricsSample.fromJson(m.body())));
    io.jpm.protocol.Liveness.testHooks(vertx, Addresses.INTERNAL_GOD_PING);
    long sweep = vertx.setPeriodic(ZOMBIE_SWEEP_MS, t -> vertx.executeBlocking(() -> {
      if (succession.current()) {
        custody.sweepZombies();
      }
      return null;
    }, false));
    custody.enthrone(new Custody.Realm(succession, table, fileApps, sweep));
    if (previous != null) {
      // the bus stops handing the hung God commands, then what it left is settled here
      previous.succession().silence();
      vertx.cancelTimer(previous.sweepTimer());
      Takeover.run(custody, succession, supervisor, table, copies);
    }
  }

  private void handle(String address, Function<JsonObject, Future<?>> action) {
    succession.<JsonObject>consumer(address, message -> {
      Future<?> result;
      try {
        JsonObject body = message.body() == null ? new JsonObject() : message.body();
        result = action.apply(body);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(ar -> reply(message, ar.succeeded() ? ar.result() : null, ar.cause()));
    });
  }

  private static void reply(Message<JsonObject> message, Object data, Throwable failure) {
    if (failure != null) {
      if (!(failure instanceof JpmException)) {
        LOG.warning(() -> message.address() + " failed: " + failure);
      }
      Reply.fail(message, failure);
    } else {
      message.reply(Reply.ok(data));
    }
  }

  private Future<List<Instance>> startNew(AppConfig config, String reason) {
    List<Integer> indexes = new ArrayList<>();
    for (int index = 0; index < config.instances(); index++) {
      indexes.add(index);
    }
    return startAt(config, indexes);
  }

  /** Creates and starts instances of an app at these NODE_APP_INSTANCE indexes (a balanced app's port first). */
  private Future<List<Instance>> startAt(AppConfig config, List<Integer> indexes) {
    return balancer.open(config).compose(v -> {
      List<Instance> created = new ArrayList<>();
      for (int index : indexes) {
        int pmId = table.allocateId(config.name());
        created.add(createInstance(pmId, config, index, LogPaths.of(config, home.resolve("logs"), pmId)));
      }
      LOG.info(() -> "starting " + config.name() + " x" + indexes.size() + ": " + String.join(" ", config.command()));
      // pm2's autostart false: registered, listed as stopped, started by a later `start <name>`
      // an update's handover keeps stopped what was stopped before it
      return each(created, i -> config.ecosystem().autostart() && !table.handedOverStopped(i.pmId) ? supervisor.start(i, "start")
          : Future.succeededFuture()).map(created);
    });
  }

  /**
   * A reload's new run of an instance, as pm2's reload makes it: same pm_id, NODE_APP_INSTANCE, log
   * files and options, restart_time + 1, unstable_restarts and created_at reset; the old run moves
   * aside as {@code _old_<pm_id>} (announced) until it is stopped.
   */
  private Instance nextRunOf(Instance old) {
    Instance fresh = new Instance(old.pmId, old.index, old.config, old.outLog, old.errLog, host, eventsOf(old.config));
    fresh.combinedLog = old.combinedLog;
    fresh.uniqueId = old.uniqueId;
    fresh.restarts = old.restarts + 1;
    fresh.watchOverride = old.watchOverride;
    fresh.lastWatchdogRestart = old.lastWatchdogRestart;
    table.replaceRun(old, fresh);
    old.announce("reload: pid " + old.pid + " serves on as _old_" + old.pmId + " while pm_id " + old.pmId + " starts again");
    return fresh;
  }

  /** jlist: every instance, then a reload's old runs (pm2 lists them too, as _old_<pm_id>). */
  private List<Instance> listed() {
    List<Instance> all = new ArrayList<>(table.all());
    all.addAll(table.oldRuns());
    return all;
  }

  private java.util.function.Consumer<io.jpm.protocol.ProcessEvent> eventsOf(AppConfig config) {
    return event -> {
      if (!succession.current()) {
        return; // a replaced God's view is stale: the fresh one speaks for the processes
      }
      vertx.eventBus().publish(Addresses.EVENTS_PROCESS, event.toJson());
      pidFiles.onEvent(event, config);
    };
  }

  /** pm2's log file rules are in {@link LogPaths}. */
  private Instance createInstance(int pmId, AppConfig config, int index, LogPaths logs) {
    Instance instance = new Instance(pmId, index, config, logs.out(), logs.err(), host, eventsOf(config));
    instance.combinedLog = logs.log();
    table.add(instance);
    return instance;
  }

  static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private Future<List<Instance>> restartAll(List<Instance> instances, String reason) {
    return restarts.restart(instances, reason, 0);
  }

  private Future<List<Instance>> restartAll(List<Instance> instances, String reason, int parallel) {
    return restarts.restart(instances, reason, parallel);
  }

  private Future<List<Instance>> reloadAll(List<Instance> instances, String reason) {
    return restarts.reload(instances, reason, 0);
  }

  private Future<List<Instance>> reloadAll(List<Instance> instances, String reason, int parallel) {
    return restarts.reload(instances, reason, parallel);
  }

  private Future<JsonArray> delete(List<Instance> instances) {
    return each(instances, i -> supervisor.stop(i, "delete asked")).compose(stopped -> {
      for (Instance instance : instances) {
        table.remove(instance);
        instance.announceDeleted();
      }
      fileApps.forgetUnused();
      // a balanced app with no instance left gives its public port back (before the reply, so a
      // start right after the delete can bind it again)
      List<Future<Void>> closed = instances.stream().filter(BalancerLink::balanced).map(Instance::name).distinct()
          .filter(name -> table.named(name).isEmpty()).map(balancer::close).toList();
      return Future.join(closed).transform(ar -> Future.succeededFuture(stopped));
    });
  }

  private Future<Integer> stopEverything() {
    List<Instance> all = listed(); // a reload's old runs too: no orphan
    return each(all, i -> supervisor.stop(i, "daemon stopping")).map(v -> all.size());
  }

  private Future<List<Instance>> targets(JsonObject body) {
    return resolve(TargetRequest.fromJson(body));
  }

  /** Resolves targets; those naming ecosystem files are read first (off the event loop). */
  private Future<List<Instance>> resolve(TargetRequest request) {
    List<String> files = request.targets().stream().filter(EcosystemFile::isEcosystemFile).toList();
    if (files.isEmpty()) {
      return Future.succeededFuture(table.resolve(request.targets(), Map.of(), Path.of(request.cwd())));
    }
    return vertx.executeBlocking(() -> {
      Map<String, List<String>> fileApps = new HashMap<>();
      for (String file : files) {
        Path path = Path.of(request.cwd()).resolve(file).normalize();
        if (Files.isRegularFile(path)) {
          fileApps.put(file, appNames(StartPlanner.readApps(path, request.env())));
        }
      }
      return fileApps;
    }, false).map(fileApps -> table.resolve(request.targets(), fileApps, Path.of(request.cwd())));
  }

  /** The names an ecosystem file gives its apps (pm2's default for those without one). */
  private static List<String> appNames(JsonArray apps) {
    List<String> names = new ArrayList<>();
    for (Object app : apps) {
      if (app instanceof JsonObject o && o.getValue("script") instanceof String script) {
        names.add(o.getValue("name") instanceof String n ? n : AppConfigParser.defaultName(script));
      }
    }
    return names;
  }

  private static <T> Future<JsonArray> each(List<Instance> instances, Function<Instance, Future<T>> action) {
    List<Future<T>> futures = instances.stream().map(action).toList();
    return Future.join(futures).map(v -> summariesOf(instances));
  }

  static JsonArray summariesOf(List<Instance> instances) {
    JsonArray array = new JsonArray();
    instances.forEach(i -> array.add(new JsonObject()
        .put("pm_id", i.pmId).put("name", i.name()).put("status", i.state().word()).put("pid", i.pid)));
    return array;
  }

  /** Descriptions in pm2's shape; balanced instances also get the balancer's counters for their pid. */
  private Future<JsonArray> describeAll(List<Instance> instances, boolean withEnv) {
    Future<JsonObject> stats = instances.stream().anyMatch(BalancerLink::balanced)
        ? balancer.stats() : Future.succeededFuture(new JsonObject());
    return stats.map(byPid -> {
      long now = System.currentTimeMillis();
      JsonArray array = new JsonArray();
      instances.forEach(i -> array.add(describer.describe(i, now, withEnv,
          i.pid == null ? null : byPid.getJsonObject(Integer.toString(i.pid)))));
      return array;
    });
  }

  /** {@code jpm restart --watch} toggles watching, as pm2's does; {@code jpm stop --watch} turns it off. */
  private static List<Instance> toggleWatch(List<Instance> instances, JsonObject body) {
    if (body.getBoolean("watch_toggle", false)) {
      for (Instance i : instances) {
        i.watchOverride = !i.watchdog().watch();
      }
    }
    if (body.getBoolean("watch_off", false)) {
      for (Instance i : instances) {
        i.watchOverride = false;
      }
    }
    return instances;
  }

  /** A restart Satan decided (health, memory, cron, watch, errored retry), with its reason. */
  private Future<JsonObject> restartForSatan(JsonObject body) {
    Instance instance = table.byId(body.getInteger("pm_id", -1));
    Integer pid = body.getInteger("pid");
    boolean sameRun = instance != null && (pid == null ? instance.state().isActive() || instance.state() == ProcessState.ERRORED
        : pid.equals(instance.pid));
    if (!sameRun) {
      return Future.succeededFuture(new JsonObject()); // the run Satan judged has already ended
    }
    String reason = body.getString("reason", "restart asked by satan");
    LOG.info(() -> "pm_id " + instance.pmId + " (" + instance.name() + "): " + reason);
    instance.lastWatchdogRestart = reason;
    if (instance.state() == ProcessState.ERRORED) {
      // a retry out of errored starts a fresh count of unstable restarts
      instance.consecutiveUnstable = 0;
      instance.lastBackoffMs = 0;
    }
    // a reload: a balanced instance is replaced without downtime, a fork app restarted
    return reloadAll(List.of(instance), reason)
        .recover(failed -> {
          if (pid == null || !pid.equals(instance.pid) || !instance.state().isActive()) {
            return Future.failedFuture(failed);
          }
          // the replacement never got ready, and the run Satan judged still runs: restart it in
          // place, as pm2 would, rather than leave a hung or bloated run in the table for good
          LOG.warning(() -> "pm_id " + instance.pmId + " (" + instance.name() + "): " + failed.getMessage()
              + "; restarting it in place");
          return supervisor.restart(instance, reason).map(v -> List.of(instance));
        })
        .map(list -> summariesOf(list).getJsonObject(0));
  }

  private void applyHealth(HealthEvent event) {
    Instance instance = table.byId(event.pmId());
    // a verdict on a reload's old run is not the new run's
    if (instance != null && (event.pid() == 0 || Integer.valueOf(event.pid()).equals(instance.pid))) {
      instance.health = event.status();
      instance.healthReason = event.reason();
      instance.healthPid = event.pid();
    }
  }

  private void applyMetrics(MetricsSample sample) {
    for (MetricsSample.Usage usage : sample.processes()) {
      Instance instance = table.byId(usage.pmId());
      if (instance != null && instance.pid != null && instance.pid == usage.pid()
          && instance.state() != ProcessState.STOPPED) {
        instance.cpu = usage.cpu();
        instance.memory = usage.memory();
      }
    }
  }
}
