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
 * state changes only through {@link #transitionTo}, which asserts the edge and publishes the event.
 */
final class Instance {
  final int pmId;
  /** NODE_APP_INSTANCE and JPM_INSTANCE_ID: 0..instances-1, the lowest free one for a scaled-up instance. */
  final int index;
  final long createdAt;
  /** pm2's unique_id: one per process slot, kept across restarts, reloads and a takeover. */
  String uniqueId = java.util.UUID.randomUUID().toString();
  final String outLog;
  final String errLog;
  /** pm_log_path: the file of both streams (log_file), or null. */
  String combinedLog;
  private final String host;
  private final Consumer<ProcessEvent> events;

  AppConfig config;
  private ProcessState state = ProcessState.STOPPED;
  Integer pid;
  /** When the current run started (pm2's pm_uptime). */
  long startedAt;
  /** pm2's restart_time: every restart of a running instance, automatic or asked. */
  int restarts;
  /** pm2's unstable_restarts: exits before min_uptime, in all. */
  int unstableRestarts;
  /** Unstable exits in a row; a stable run resets it. Decides errored. */
  int consecutiveUnstable;
  long lastBackoffMs;
  Integer exitCode;
  Signal exitSignal;
  String lastReason = "created";
  double cpu;
  long memory;
  /** Set by {@code jpm restart --watch}, which toggles watching like pm2's; null = as configured. */
  Boolean watchOverride;
  /** Why Satan last restarted this instance (health, memory, cron, watch, errored retry). */
  String lastWatchdogRestart;
  /** Satan's last health verdict for the run with pid {@link #healthPid}, and why. */
  String health;
  String healthReason;
  Integer healthPid;
  /** The current run's private port (balanced apps), 0 when none. */
  int privatePort;
  /** Balanced apps: completes once the current run is ready and in rotation; fails after listen_timeout. */
  io.vertx.core.Future<Void> ready = io.vertx.core.Future.succeededFuture();
  /** The pending restart-delay or kill-timeout timer, -1 for none. */
  long timerId = -1;
  /** The current run's channels (wait_ready, shutdown_with_message), null when it has none. */
  io.jpm.process.AppChannels.Channel channel;
  /** Set when an exit arrives before the spawn has reported: handled once online. */
  Runnable pendingExit;
  /**
   * True while a rolling reload replaces this run: its pm_id already belongs to the new run, it is
   * listed as {@code _old_<pm_id>}, its events carry {@code old_run}, and an exit is not restarted.
   */
  boolean oldRun;
  /** A restart is under way (stop, then start): a God that takes over mid-stop starts it again. */
  boolean restartPending;
  /** Stops asked of this instance (stop, restart, delete, scale down, daemon stop): a reload tells them from its own failures. */
  int stopsAsked;
  /** Completed when the instance leaves stopping (or launching) for a resting state. */
  final List<Runnable> onSettled = new ArrayList<>();

  Instance(int pmId, int index, AppConfig config, String outLog, String errLog, String host,
      Consumer<ProcessEvent> events) {
    this(pmId, index, config, outLog, errLog, host, events, System.currentTimeMillis());
  }

  private Instance(int pmId, int index, AppConfig config, String outLog, String errLog, String host,
      Consumer<ProcessEvent> events, long createdAt) {
    this.pmId = pmId;
    this.index = index;
    this.config = config;
    this.outLog = outLog;
    this.errLog = errLog;
    this.host = host;
    this.events = events;
    this.createdAt = createdAt;
  }

  /**
   * A fresh God's copy of a hung God's instance ({@link Takeover}), publishing through the fresh
   * God's events: every field as the hung thread left it, read from another thread (one it was
   * changing may be a step behind: a counter off by one, a state the takeover then corrects from
   * what the custody knows of the child). Timers, waiters and the readiness future stay behind.
   */
  static Instance copyOf(Instance old, Consumer<ProcessEvent> events) {
    Instance copy = new Instance(old.pmId, old.index, old.config, old.outLog, old.errLog, old.host, events, old.createdAt);
    copy.combinedLog = old.combinedLog;
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
    copy.privatePort = old.privatePort;
    copy.oldRun = old.oldRun;
    copy.stopsAsked = old.stopsAsked;
    copy.restartPending = old.restartPending;
    copy.channel = old.channel;
    return copy;
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
