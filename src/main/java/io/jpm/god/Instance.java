package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.process.ProcessState;
import io.jpm.process.Signal;
import io.jpm.protocol.ProcessEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One app instance and its runtime counters, owned by God (only touched on God's event loop). Its
 * fields are private: the rest of God reads them through accessors and changes them only through
 * methods named after an event of its life ({@link #spawned}, {@link #runEnded}, {@link #countExit},
 * {@link #restartedBySatan}, ...); its state changes only through {@link #transitionTo} and
 * {@link #exitTo}, which assert the edge and publish the event.
 *
 * <p>Longer than ~300 lines on purpose: a reader per field and a small method per event, no logic
 * beyond the state table's check (the decisions are in {@link Supervisor} and its peers).
 */
final class Instance {
  final int pmId;
  /** NODE_APP_INSTANCE and JPM_INSTANCE_ID: 0..instances-1, the lowest free one for a scaled-up instance. */
  final int index;
  final long createdAt;
  final String outLog;
  final String errLog;
  /** pm_pid_path: where its pid file goes, fixed when the instance is made, as pm2's (a rename keeps it). */
  final String pidFile;
  private final String host;
  private final Consumer<ProcessEvent> events;

  /** pm2's unique_id: one per process slot, kept across restarts, reloads and a takeover. */
  private String uniqueId = java.util.UUID.randomUUID().toString();
  /** pm_log_path: the file of both streams (log_file), or null. */
  private String combinedLog;
  private AppConfig config;
  private ProcessState state = ProcessState.STOPPED;
  private Integer pid;
  /** When the current run started (pm2's pm_uptime). */
  private long startedAt;
  /** pm2's restart_time: every restart of a running instance, automatic or asked. */
  private int restarts;
  /** pm2's unstable_restarts: exits before min_uptime, in all. */
  private int unstableRestarts;
  /** Unstable exits in a row; a stable run resets it. Decides errored. */
  private int consecutiveUnstable;
  private long lastBackoffMs;
  private Integer exitCode;
  private Signal exitSignal;
  private String lastReason = "created";
  private double cpu;
  private long memory;
  /** Set by {@code jpm restart --watch}, which toggles watching like pm2's; null = as configured. */
  private Boolean watchOverride;
  /** Why Satan last restarted this instance (health, memory, cron, watch, errored retry). */
  private String lastWatchdogRestart;
  /** Satan's last health verdict for the run with pid {@link #healthPid}, and why. */
  private String health;
  private String healthReason;
  private Integer healthPid;
  /** Satan's last scrape of the metrics_url of the run with pid {@link #appMetricsPid}. */
  private io.vertx.core.json.JsonObject appMetrics;
  private Integer appMetricsPid;
  /** The current run's private port (balanced apps), 0 when none. */
  private int privatePort;
  /** Balanced apps: completes once the current run is ready and in rotation; fails after listen_timeout. */
  private io.vertx.core.Future<Void> ready = io.vertx.core.Future.succeededFuture();
  /** The pending restart-delay or kill-timeout timer, -1 for none. */
  private long timerId = -1;
  /** The current run's channels (wait_ready, shutdown_with_message), null when it has none. */
  private io.jpm.process.AppChannels.Channel channel;
  /** pm2's module configuration the current run was given (jpm set <app>.<key>), for jlist's env. */
  private java.util.Map<String, String> moduleEnv = java.util.Map.of();
  /** Set when an exit arrives before the spawn has reported: handled once online. */
  private Runnable pendingExit;
  /**
   * True while a rolling reload replaces this run: its pm_id already belongs to the new run, it is
   * listed as {@code _old_<pm_id>}, its events carry {@code old_run}, and an exit is not restarted.
   */
  private boolean oldRun;
  /** A restart is under way (stop, then start): a God that takes over mid-stop starts it again. */
  private boolean restartPending;
  /** Stops asked of this instance (stop, restart, delete, scale down, daemon stop): a reload tells them from its own failures. */
  private int stopsAsked;
  /** Completed when the instance leaves stopping (or launching) for a resting state. */
  final List<Runnable> onSettled = new ArrayList<>();

  Instance(int pmId, int index, AppConfig config, String outLog, String errLog, String combinedLog, String pidFile,
      String host, Consumer<ProcessEvent> events) {
    this(pmId, index, config, outLog, errLog, combinedLog, pidFile, host, events, System.currentTimeMillis());
  }

  private Instance(int pmId, int index, AppConfig config, String outLog, String errLog, String combinedLog,
      String pidFile, String host, Consumer<ProcessEvent> events, long createdAt) {
    this.pmId = pmId;
    this.index = index;
    this.config = config;
    this.outLog = outLog;
    this.errLog = errLog;
    this.combinedLog = combinedLog;
    this.pidFile = pidFile;
    this.host = host;
    this.events = events;
    this.createdAt = createdAt;
  }

  /**
   * A reload's new run of an instance, as pm2's reload makes it: same pm_id, NODE_APP_INSTANCE, log
   * files and options, restart_time + 1, unstable_restarts and created_at reset.
   */
  static Instance nextRunOf(Instance old, Consumer<ProcessEvent> events) {
    Instance fresh = new Instance(old.pmId, old.index, old.config, old.outLog, old.errLog, old.combinedLog, old.pidFile,
        old.host, events);
    fresh.uniqueId = old.uniqueId;
    fresh.restarts = old.restarts + 1;
    fresh.watchOverride = old.watchOverride;
    fresh.lastWatchdogRestart = old.lastWatchdogRestart;
    return fresh;
  }

  /**
   * A fresh God's copy of a hung God's instance ({@link Takeover}), publishing through the fresh
   * God's events: every field as the hung thread left it, read from another thread (one it was
   * changing may be a step behind: a counter off by one, a state the takeover then corrects from
   * what the custody knows of the child). Timers, waiters and the readiness future stay behind.
   */
  static Instance copyOf(Instance old, Consumer<ProcessEvent> events) {
    Instance copy = new Instance(old.pmId, old.index, old.config, old.outLog, old.errLog, old.combinedLog, old.pidFile,
        old.host, events, old.createdAt);
    copy.uniqueId = old.uniqueId;
    copy.state = old.state;
    copy.pid = old.pid;
    copy.startedAt = old.startedAt;
    copy.restarts = old.restarts;
    copy.unstableRestarts = old.unstableRestarts;
    copy.consecutiveUnstable = old.consecutiveUnstable;
    copy.lastBackoffMs = old.lastBackoffMs;
    copy.exitCode = old.exitCode;
    copy.exitSignal = old.exitSignal;
    copy.lastReason = old.lastReason;
    copy.cpu = old.cpu;
    copy.memory = old.memory;
    copy.watchOverride = old.watchOverride;
    copy.lastWatchdogRestart = old.lastWatchdogRestart;
    copy.health = old.health;
    copy.healthReason = old.healthReason;
    copy.healthPid = old.healthPid;
    copy.appMetrics = old.appMetrics;
    copy.appMetricsPid = old.appMetricsPid;
    copy.privatePort = old.privatePort;
    copy.oldRun = old.oldRun;
    copy.stopsAsked = old.stopsAsked;
    copy.restartPending = old.restartPending;
    copy.channel = old.channel;
    copy.moduleEnv = old.moduleEnv;
    return copy;
  }

  // ---- what the rest of God reads

  String uniqueId() {
    return uniqueId;
  }

  String combinedLog() {
    return combinedLog;
  }

  AppConfig config() {
    return config;
  }

  /** The current run's pid, null when none runs (or its spawn has not reported yet). */
  Integer pid() {
    return pid;
  }

  long startedAt() {
    return startedAt;
  }

  int restarts() {
    return restarts;
  }

  int unstableRestarts() {
    return unstableRestarts;
  }

  int consecutiveUnstable() {
    return consecutiveUnstable;
  }

  long lastBackoffMs() {
    return lastBackoffMs;
  }

  Integer exitCode() {
    return exitCode;
  }

  Signal exitSignal() {
    return exitSignal;
  }

  String lastReason() {
    return lastReason;
  }

  double cpu() {
    return cpu;
  }

  long memory() {
    return memory;
  }

  String lastWatchdogRestart() {
    return lastWatchdogRestart;
  }

  String healthReason() {
    return healthReason;
  }

  /** The current run's last metrics scrape ({"url","time","error","samples"}), null when none. */
  io.vertx.core.json.JsonObject appMetrics() {
    return appMetrics != null && appMetricsPid != null && appMetricsPid.equals(pid) ? appMetrics : null;
  }

  void appMetrics(io.vertx.core.json.JsonObject scrape) {
    appMetrics = new io.vertx.core.json.JsonObject().put("url", scrape.getString("url")).put("time", scrape.getLong("time"))
        .put("error", scrape.getString("error")).put("samples", scrape.getJsonArray("samples"));
    appMetricsPid = scrape.getInteger("pid");
  }

  int privatePort() {
    return privatePort;
  }

  io.vertx.core.Future<Void> ready() {
    return ready;
  }

  io.jpm.process.AppChannels.Channel channel() {
    return channel;
  }

  boolean oldRun() {
    return oldRun;
  }

  java.util.Map<String, String> moduleEnv() {
    return moduleEnv;
  }

  boolean restartPending() {
    return restartPending;
  }

  int stopsAsked() {
    return stopsAsked;
  }

  // ---- how it changes: each method is one event of its life

  /** New options (a start or a file's reload): they apply from the next run. */
  void reconfigure(AppConfig newConfig) {
    config = newConfig;
  }

  /** A run is about to start: the last run's exit is forgotten, a restart under way is done. */
  void beginRun() {
    restartPending = false;
    exitCode = null;
    exitSignal = null;
  }

  /** The run's process was spawned (or found running by a takeover) with this pid and private port. */
  void spawned(int newPid, int port, long at, io.jpm.process.AppChannels.Channel runChannel) {
    pid = newPid;
    privatePort = port;
    startedAt = at;
    channel = runChannel;
  }

  /** The variables of pm2's module configuration this run was spawned with. */
  void moduleEnv(java.util.Map<String, String> env) {
    moduleEnv = java.util.Map.copyOf(env);
  }

  /** The run's process is gone: with this exit when it was seen. */
  void runEnded(Integer code, Signal signal) {
    pid = null;
    privatePort = 0;
    exitCode = code;
    exitSignal = signal;
  }

  /** A takeover found no process left of this run: nothing known of its exit. */
  void runVanished() {
    pid = null;
    privatePort = 0;
  }

  /** A reload's old run taken over: the pid it had, its state corrected by the takeover. */
  void adoptPid(int livePid) {
    pid = livePid;
  }

  /** An exit before min_uptime (unstable) or after it, for the restart policy. */
  void countExit(boolean unstable) {
    if (unstable) {
      unstableRestarts++;
      consecutiveUnstable++;
    } else {
      consecutiveUnstable = 0;
    }
  }

  void backoff(long ms) {
    lastBackoffMs = ms;
  }

  /** One more restart in pm2's restart_time. */
  void countRestart() {
    restarts++;
  }

  /** pm2's reset: the restart counters back to 0. */
  void resetCounters() {
    restarts = 0;
    unstableRestarts = 0;
    consecutiveUnstable = 0;
    lastBackoffMs = 0;
  }

  /** A stop asked of it (not one of its own exits). */
  void stopAsked() {
    stopsAsked++;
  }

  /** A restart (stop, then start) is under way, or no longer. */
  void restartPending(boolean pending) {
    restartPending = pending;
  }

  /** Satan restarts it for this reason; out of errored, a fresh count of unstable restarts starts. */
  void restartedBySatan(String reason) {
    lastWatchdogRestart = reason;
    if (state == ProcessState.ERRORED) {
      consecutiveUnstable = 0;
      lastBackoffMs = 0;
    }
  }

  /** Satan's probe verdict on the run with pid {@code runPid}. */
  void healthVerdict(String status, String reason, Integer runPid) {
    health = status;
    healthReason = reason;
    healthPid = runPid;
  }

  /** Satan's last sample of the run's process group. */
  void usage(double cpuPercent, long memoryBytes) {
    cpu = cpuPercent;
    memory = memoryBytes;
  }

  /** {@code jpm restart --watch} toggles watching; {@code jpm stop --watch} turns it off. */
  void toggleWatch() {
    watchOverride = !watchdog().watch();
  }

  void watchOff() {
    watchOverride = false;
  }

  /** New watch options were given: they apply as configured, whatever was toggled before. */
  void watchAsConfigured() {
    watchOverride = null;
  }

  /** A reload moves this run aside as {@code _old_<pm_id>}, or gives it its pm_id back. */
  void oldRun(boolean aside) {
    oldRun = aside;
  }

  /** The balancer's readiness of the current run. */
  void ready(io.vertx.core.Future<Void> runReady) {
    ready = runReady;
  }

  /** The run's channel was closed. */
  void dropChannel() {
    channel = null;
  }

  /** The restart-delay or kill-timeout timer (-1: none). */
  long timer() {
    return timerId;
  }

  void timer(long id) {
    timerId = id;
  }

  /** An exit that overtook the spawn's report, handled once the pid is known. */
  void deferExit(Runnable exit) {
    pendingExit = exit;
  }

  Runnable takeDeferredExit() {
    Runnable exit = pendingExit;
    pendingExit = null;
    return exit;
  }

  /**
   * Sets the state a takeover settled on, with no transition: the instance did not change, its
   * owner did ({@link #announce} tells subscribers). Nothing else may skip {@link #transitionTo}.
   */
  void takenOverAs(ProcessState taken) {
    state = taken;
  }

  ProcessState state() {
    return state;
  }

  String name() {
    return config.name();
  }

  /** Changes state along an allowed edge and publishes the event; a forbidden edge is a bug. */
  void transitionTo(ProcessState next, String reason) {
    transition(next, reason, false);
  }

  /** A transition the run's exit caused: its event carries the exit code or signal, whatever the state it left. */
  void exitTo(ProcessState next, String reason) {
    transition(next, reason, true);
  }

  private void transition(ProcessState next, String reason, boolean byExit) {
    if (!state.canMoveTo(next)) {
      throw new IllegalStateException("pm_id " + pmId + ": " + state + " -> " + next + " is not allowed (" + reason + ")");
    }
    ProcessState from = state;
    state = next;
    lastReason = reason;
    // an exit code or signal belongs only to the transitions an exit caused
    boolean exited = byExit || (from == ProcessState.ONLINE || from == ProcessState.STOPPING) && !next.hasProcess();
    events.accept(new ProcessEvent(name(), pmId, pid, from.word(), next.word(), reason,
        exited ? exitCode : null, exited && exitSignal != null ? exitSignal.name() : null,
        System.currentTimeMillis(), host, oldRun));
    if (!next.hasProcess() || next == ProcessState.ONLINE) {
      List<Runnable> waiters = new ArrayList<>(onSettled);
      onSettled.clear();
      waiters.forEach(Runnable::run);
    }
  }

  /**
   * Publishes the current state again ({@code from} = {@code to}) with a reason: a reload handing the
   * pm_id to a new run (the old run's last event before its stop, {@code old_run} true), or a failed
   * reload handing it back to the old run.
   */
  void announce(String reason) {
    events.accept(new ProcessEvent(name(), pmId, pid, state.word(), state.word(), reason, null, null,
        System.currentTimeMillis(), host, oldRun));
  }

  /** The jlist and ls id: the pm_id, or pm2's {@code _old_<pm_id>} for a reload's old run. */
  Object listedId() {
    return oldRun ? "_old_" + pmId : pmId;
  }

  /** Publishes a deletion; the instance leaves the table after this. */
  void announceDeleted() {
    events.accept(new ProcessEvent(name(), pmId, null, state.word(), ProcessEvent.DELETED, "deleted",
        exitCode, null, System.currentTimeMillis(), host));
  }

  /** Satan's options with the watch toggle applied. */
  io.jpm.config.WatchdogOptions watchdog() {
    io.jpm.config.WatchdogOptions options = config.watchdog();
    return watchOverride == null ? options : options.withWatch(watchOverride, config.cwd().toString());
  }

  /** True when Satan's last verdict on the current run is healthy. */
  boolean healthyNow() {
    return "healthy".equals(health) && pid != null && pid.equals(healthPid);
  }

  /** "healthy", "unhealthy", "starting" (no verdict yet for this run), or null without a probe. */
  String healthStatus() {
    if (config.watchdog().health() == null) {
      return null;
    }
    return pid != null && pid.equals(healthPid) ? health : "starting";
  }

  long uptimeMs(long now) {
    return state == ProcessState.ONLINE ? now - startedAt : 0;
  }
}
