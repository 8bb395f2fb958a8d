package io.jpm.god;

import io.jpm.config.AppConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An instance as pm2's jlist shows it, so tools written for {@code pm2 jlist} read jpm's output
 * unchanged; jpm's own fields sit beside them under {@code jpm}.
 */
final class Describer {
  /** {@code jpm.query.list}'s {@code "view"} that asks for {@link #tableView} only. */
  static final String TABLE_VIEW = "table";
  private static final java.util.List<String> TABLE_ENV_FIELDS = java.util.List.of("status", "exec_mode", "pm_uptime", "restart_time",
      "namespace", "version", "username", "watch");

  private final String host;
  /** Socket mode's open sockets by app. */
  private final java.util.function.Function<String, SharedSockets.AppSockets> sockets;

  Describer(String host) {
    this(host, app -> new SharedSockets.AppSockets(java.util.List.of(), java.util.List.of()));
  }

  Describer(String host, java.util.function.Function<String, SharedSockets.AppSockets> sockets) {
    this.host = host;
    this.sockets = sockets;
  }

  /** @param withEnv false leaves out {@code pm2_env.env}, most of the bytes, for the ls table */
  JsonObject describe(Instance i, long now, boolean withEnv) {
    return describe(i, now, withEnv ? EnvView.VALUES : EnvView.NONE, null);
  }

  /**
   * @param view NONE leaves out {@code pm2_env.env}, most of the bytes, for the ls table; NAMES
   *     lists each variable with {@link io.jpm.protocol.Access#REDACTED} for its value
   * @param balancerStats the balancer's counters for this instance's pid (connections, served,
   *     bytes_in, bytes_out, state), null when it is not balanced or not running
   */
  JsonObject describe(Instance i, long now, EnvView view, JsonObject balancerStats) {
    boolean withEnv = view != EnvView.NONE;
    AppConfig c = i.config();
    JsonObject env = new JsonObject();
    JsonObject pm2Env = new JsonObject();
    String incrementVar = c.balancer().incrementVar();
    if (withEnv) {
      java.util.function.BiConsumer<String, Object> listed = (name, value) -> env.put(name, view.shown(name, value));
      c.env().forEach(listed);
      i.moduleEnv().forEach(listed); // the run's pm2 module configuration, as pm2 lists it
      if (incrementVar != null) {
        // this instance's number, as pm2 shows it in both places
        listed.accept(incrementVar, RunEnvironment.incremented(i));
      }
      // pm2 merges the app's environment into pm2_env itself (scripts read pm2_env.NODE_ENV); its
      // own fields, put after, win a clash
      pm2Env.mergeIn(env);
    }
    pm2Env
        .put("name", i.name())
        .put("namespace", c.ecosystem().namespace())
        .put("pm_pid_path", i.pidFile)
        .put("treekill", c.ecosystem().treekill())
        .put("autostart", c.ecosystem().autostart())
        .put("disable_logs", c.ecosystem().disableLogs())
        .put("pm_id", i.listedId())
        .put("status", i.state().word())
        .put("restart_time", i.restarts())
        .put("unstable_restarts", i.unstableRestarts())
        .put("pm_uptime", i.state().word().equals("online") ? i.startedAt() : 0)
        .put("created_at", i.createdAt)
        .put("exit_code", i.exitCode())
        .put("exec_mode", c.execMode() + "_mode")
        .put("instances", c.instances())
        .put("pm_exec_path", c.script())
        .put("pm_cwd", c.cwd().toString())
        .put("exec_interpreter", c.interpreterName())
        .put("interpreter_args", new JsonArray(c.interpreterArgs()))
        .put("node_args", new JsonArray(c.interpreterArgs()))
        .put("watch", watchAsGiven(i))
        .put("max_memory_restart", c.watchdog().maxMemoryBytes())
        .put("cron_restart", c.watchdog().cronRestart())
        .put("env", env)
        .put("pm_out_log_path", i.outLog)
        .put("pm_err_log_path", i.errLog)
        .put("merge_logs", io.jpm.config.LogPaths.merged(c))
        .put("log_date_format", c.logs().dateFormat())
        .put("log_type", c.logs().json() ? "json" : "raw")
        // pm2 (God.injectVariables): the index under instance_var's name, which is listed too
        .put("instance_var", c.balancer().instanceVar())
        .put(c.balancer().instanceVar(), i.index)
        .put("autorestart", c.policy().autorestart())
        .put("max_restarts", c.policy().maxRestarts())
        .put("min_uptime", c.policy().minUptimeMs())
        .put("restart_delay", c.policy().restartDelayMs())
        .put("exp_backoff_restart_delay", c.policy().expBackoffInitialMs())
        .put("kill_timeout", c.policy().killTimeoutMs())
        .put("stop_exit_codes", new JsonArray(c.policy().stopExitCodes().stream().sorted().toList()))
        .put("version", c.facts().version())
        .put("unique_id", i.uniqueId())
        .put("username", c.facts().username())
        // what @pm2/io reports from inside a Node app; jpm has no such agent, so nothing is known
        .put("axm_monitor", new JsonObject())
        .put("axm_actions", new JsonArray())
        .put("axm_options", new JsonObject());
    if (c.facts().nodeVersion() != null) {
      pm2Env.put("node_version", c.facts().nodeVersion());
    }
    // pm2 lists these only when the app has them
    if (!c.args().isEmpty()) {
      pm2Env.put("args", new JsonArray(c.args()));
    }
    if (i.combinedLog() != null) {
      pm2Env.put("pm_log_path", i.combinedLog());
    }
    if (incrementVar != null) {
      pm2Env.put("increment_var", incrementVar);
    }
    // what only means something to Node or pm2.io, listed as pm2 lists it (vizion: true, ...)
    io.jpm.config.AppConfigParser.pm2OnlyOptions(c.source()).forEach(e -> pm2Env.put(e.getKey(), e.getValue()));
    if (c.source().getValue("ignore_watch") != null) {
      pm2Env.put("ignore_watch", c.source().getValue("ignore_watch")); // as given, as pm2 lists it
    }
    if (c.ecosystem().waitReady()) {
      // pm2 lists them only when set
      pm2Env.put("wait_ready", true);
    }
    if (c.ecosystem().waitReady() || c.source().containsKey("listen_timeout")) {
      pm2Env.put("listen_timeout", c.balancer().listenTimeoutMs());
    }
    if (c.ecosystem().shutdownWithMessage()) {
      pm2Env.put("shutdown_with_message", true);
    }
    JsonObject jpm = new JsonObject()
        .put("host", host)
        .put("instance_id", i.index)
        .put("old_run_of", i.oldRun() ? i.pmId : null)
        .put("uptime_ms", i.uptimeMs(now))
        .put("kill_signal", c.policy().killSignal().name())
        .put("listen_timeout", c.balancer().listenTimeoutMs())
        .put("exit_signal", i.exitSignal() == null ? null : i.exitSignal().name())
        .put("last_reason", i.lastReason())
        .put("ecosystem_file", c.origin().file())
        .put("env_name", c.origin().envName())
        .put("health", i.healthStatus())
        .put("health_reason", i.healthReason())
        .put("watchdog_restart", i.lastWatchdogRestart())
        .put("app_metrics", i.appMetrics())
        .put("watchdog", watchdogBeyondPm2(i.watchdog()))
        .put("warnings", new JsonArray(c.warnings()));
    if (c.balancer().balanced()) {
      jpm.put("balancer", new JsonObject()
          .put("public_host", c.balancer().host())
          .put("public_port", c.balancer().port())
          .put("balance", c.balancer().balance().word())
          .put("private_port", i.privatePort() == 0 ? null : i.privatePort())
          .put("state", balancerStats == null ? "out" : balancerStats.getString("state"))
          .put("connections", balancerStats == null ? 0 : balancerStats.getLong("connections", 0L))
          .put("served", balancerStats == null ? 0 : balancerStats.getLong("served", 0L))
          .put("per_minute", balancerStats == null ? 0 : balancerStats.getLong("per_minute", 0L))
          .put("bytes_in", balancerStats == null ? 0 : balancerStats.getLong("bytes_in", 0L))
          .put("bytes_out", balancerStats == null ? 0 : balancerStats.getLong("bytes_out", 0L)));
    }
    if (c.balancer().sharesSocket()) {
      jpm.put("balancer", sharedSocket(i, withEnv));
    }
    // pm2's top level (God.getMonitorData): pid, name, pm2_env, pm_id, monit; the rest is in pm2_env,
    // once, so a script counting a value finds it as often as under pm2
    return new JsonObject()
        .put("pid", i.pid() == null ? 0 : i.pid())
        .put("name", i.name())
        .put("pm2_env", pm2Env)
        .put("pm_id", i.listedId())
        .put("monit", new JsonObject().put("memory", i.pid() == null ? 0 : i.memory()).put("cpu", i.pid() == null ? 0 : i.cpu()))
        .put("jpm", jpm);
  }

  /**
   * pm2_env.watch as pm2 lists it: the paths as the app gave them ({@code ['server', 'client']}) while
   * it watches them, else true or false ({@code restart --watch} toggles it).
   */
  private static Object watchAsGiven(Instance i) {
    Object given = i.config().source().getValue("watch");
    boolean watching = i.watchdog().watch();
    return watching && (given instanceof JsonArray || given instanceof String) ? given : watching;
  }

  /**
   * What Satan acts on beyond what pm2_env already lists (watch, ignore_watch, max_memory_restart,
   * cron_restart are there): a script that greps jlist for {@code watch: true} finds it once, as
   * under pm2.
   */
  private static JsonObject watchdogBeyondPm2(io.jpm.config.WatchdogOptions w) {
    JsonObject all = w.toJson();
    for (String pm2Has : List.of("watch", "ignore_watch", "max_memory_restart", "cron_restart")) {
      all.remove(pm2Has);
    }
    if (w.erroredRetryMs() == 0) {
      all.remove("errored_retry"); // its name holds a status word, and a script counting 'errored' would count it
    }
    return all;
  }

  /**
   * The fields of each description that the ls table shows (pm_id, name, pid, monit, four of
   * pm2_env's, jpm.health, jpm.warnings): a tenth of the bytes, which the CLI, a JVM that runs its JSON parsing
   * once and uncompiled, reads ~6 ms sooner with 10 apps.
   */
  static JsonArray tableView(JsonArray descriptions) {
    JsonArray rows = new JsonArray();
    for (int i = 0; i < descriptions.size(); i++) {
      JsonObject full = descriptions.getJsonObject(i);
      JsonObject env = full.getJsonObject("pm2_env", new JsonObject());
      JsonObject rowEnv = new JsonObject();
      TABLE_ENV_FIELDS.forEach(field -> rowEnv.put(field, env.getValue(field)));
      JsonObject row = new JsonObject().put("pm_id", full.getValue("pm_id")).put("name", full.getValue("name"))
          .put("pid", full.getValue("pid")).put("monit", full.getValue("monit")).put("pm2_env", rowEnv);
      JsonObject jpm = full.getJsonObject("jpm", new JsonObject());
      JsonObject rowJpm = new JsonObject();
      if (jpm.getValue("health") != null) { // an app with a probe; the table adds its column then
        rowJpm.put("health", jpm.getValue("health"));
      }
      if (!jpm.getJsonArray("warnings", new JsonArray()).isEmpty()) { // the table marks the app then
        rowJpm.put("warnings", jpm.getJsonArray("warnings"));
      }
      if (!rowJpm.isEmpty()) {
        row.put("jpm", rowJpm);
      }
      rows.add(row);
    }
    return rows;
  }

  /**
   * Socket mode: the shared sockets of the app and, in a full describe, how many connections this
   * instance holds on them (read from /proc: the kernel hands them out, the daemon sees none).
   */
  private JsonObject sharedSocket(Instance i, boolean withConnections) {
    SharedSockets.AppSockets appSockets = sockets.apply(i.name());
    java.util.List<SharedSockets.Open> open = appSockets.open();
    JsonObject view = new JsonObject()
        .put("balance", "socket")
        .put("public_host", i.config().balancer().host())
        .put("public_port", i.config().balancer().port())
        .put("sockets", new JsonArray(open.stream().map(SharedSockets.Open::address).toList()))
        // other apps that listen on the same address: their instances are dealt its connections too
        .put("shared_with", new JsonArray(appSockets.sharedWith()))
        // as the proxy modes say it: ready once it takes connections (a Node run: once it listens)
        .put("state", i.state() != io.jpm.process.ProcessState.ONLINE ? "out"
            : i.ready().succeeded() ? "ready" : i.ready().failed() ? "not listening" : "waiting");
    if (withConnections && i.pid() != null) {
      java.util.Set<Integer> ports = new java.util.HashSet<>();
      open.forEach(o -> ports.add(o.port()));
      view.put("connections", SocketConnections.count(i.pid(), ports));
    }
    return view;
  }
}
