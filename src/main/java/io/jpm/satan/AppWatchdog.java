package io.jpm.satan;

import io.jpm.config.HealthCheck;
import io.jpm.config.WatchdogOptions;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.HealthEvent;
import io.jpm.protocol.MetricsSample;
import io.jpm.protocol.ProcessEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Restarts that pm2 cannot make, or makes late: on a failing health probe, over max_memory_restart
 * (checked at every sample), on cron_restart, on a change of a watched file, and out of errored
 * after errored_retry. Each restart goes to God with its reason and the pid of the run it judged,
 * so a run that already ended is never restarted twice. Runs on Satan's event loop.
 */
final class AppWatchdog {
  private static final Logger LOG = Logger.getLogger("jpm.satan");
  private static final long RESTART_TIMEOUT_MS = 120_000;

  /** What Satan knows of one pm_id. */
  private static final class Watched {
    final int pmId;
    String app;
    String status;
    Integer pid;
    WatchdogOptions options = WatchdogOptions.NONE;
    String cwd;
    Integer port;
    Map<String, String> env = Map.of();
    /** The pid a restart was already asked for: memory and health do not ask twice. */
    Integer restartAskedFor;
    HealthRun health;
    CronRestart cron;
    long erroredTimer = -1;
    long watchTimer = -1;
    String watchKey;
    /** Paths changed since the last watch restart, in order, for its reason. */
    final java.util.Set<Path> changes = new java.util.LinkedHashSet<>();

    Watched(int pmId) {
      this.pmId = pmId;
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final String host;
  private final HealthProbes probes;
  private final Map<Integer, Watched> byId = new HashMap<>();
  private FileWatcher files;

  AppWatchdog(Vertx vertx, Context context, String host) {
    this.vertx = vertx;
    this.context = context;
    this.host = host;
    this.probes = new HealthProbes(vertx);
  }

  void onProcessEvent(ProcessEvent event) {
    if (event.oldRun()) {
      return; // a reload's old run: its pm_id (and what Satan watches) is the new run's now
    }
    if ("deleted".equals(event.to())) {
      Watched w = byId.remove(event.pmId());
      if (w != null) {
        forget(w);
      }
      return;
    }
    Watched w = byId.computeIfAbsent(event.pmId(), Watched::new);
    if (event.pid() != null && w.pid != null && !event.pid().equals(w.pid) && !"online".equals(event.to())) {
      return; // about a run that is no longer the watched one: its end must not stop the current run's probe
    }
    w.app = event.app();
    w.status = event.to();
    if ("online".equals(event.to()) && event.pid() != null) {
      w.pid = event.pid();
      w.restartAskedFor = null;
      cancel(w.erroredTimer);
      w.erroredTimer = -1;
      refresh(w, event.pid());
    } else if (!"launching".equals(event.to())) {
      stopHealth(w);
      w.pid = null;
    }
    if ("errored".equals(event.to())) {
      if (w.cwd == null) {
        refresh(w, null); // never was online: learn its options now
      } else {
        scheduleErroredRetry(w);
      }
    }
  }

  /** Checks memory limits against a fresh sample. */
  void onSample(MetricsSample sample) {
    for (MetricsSample.Usage usage : sample.processes()) {
      Watched w = byId.get(usage.pmId());
      if (w == null || w.pid == null || w.pid != usage.pid()) {
        continue;
      }
      long limit = w.options.maxMemoryBytes();
      if (limit > 0 && usage.memory() > limit && !Integer.valueOf(usage.pid()).equals(w.restartAskedFor)) {
        w.restartAskedFor = usage.pid();
        restart(w, usage.pid(), "memory " + mb(usage.memory()) + " over max_memory_restart " + mb(limit));
      }
    }
  }

  /** Reads the instance's options from God (they may have changed with a new start), then applies them. */
  private void refresh(Watched w, Integer pid) {
    JsonObject request = new JsonObject().put("targets", new JsonArray().add(Integer.toString(w.pmId))).put("cwd", "/");
    vertx.eventBus().<JsonObject>request(Addresses.QUERY_DESCRIBE, request).onComplete(ar -> {
      if (ar.failed() || byId.get(w.pmId) != w) {
        return; // deleted meanwhile
      }
      JsonArray data = ar.result().body().getJsonArray("data");
      if (data == null || data.isEmpty()) {
        return;
      }
      JsonObject p = data.getJsonObject(0);
      JsonObject env = p.getJsonObject("pm2_env", new JsonObject());
      w.options = WatchdogOptions.fromJson(p.getJsonObject("jpm", new JsonObject()).getJsonObject("watchdog"));
      w.cwd = env.getString("pm_cwd", "/");
      Map<String, String> appEnv = new HashMap<>();
      env.getJsonObject("env", new JsonObject()).forEach(e -> appEnv.put(e.getKey(), String.valueOf(e.getValue())));
      w.env = appEnv;
      w.port = parsePort(appEnv.get("PORT"));
      applyCron(w);
      applyWatch(w);
      if ("errored".equals(w.status)) {
        scheduleErroredRetry(w);
      }
      if (pid == null || !pid.equals(w.pid) || w.options.health() == null) {
        return; // no probe, or the run this refresh was for has ended
      }
      Integer privatePort = p.getJsonObject("jpm", new JsonObject()).getJsonObject("balancer", new JsonObject())
          .getInteger("private_port");
      if (privatePort != null && pid.equals(p.getInteger("pid"))) {
        // a balanced run: God gave it this private port, no need to read it back from the process
        w.port = privatePort;
        startHealth(w, pid);
        return;
      }
      // the PORT the process really got (God may assign one beyond the app's env)
      vertx.executeBlocking(() -> portInEnvironment(pid), false).onComplete(port -> {
        if (port.succeeded() && port.result() != null) {
          w.port = port.result();
        }
        if (pid.equals(w.pid)) {
          startHealth(w, pid);
        }
      });
    });
  }

  /** PORT from /proc/<pid>/environ, null when absent or unreadable; blocking. */
  private static Integer portInEnvironment(int pid) {
    try {
      String environ = java.nio.file.Files.readString(Path.of("/proc", Integer.toString(pid), "environ"),
          java.nio.charset.StandardCharsets.ISO_8859_1);
      for (String entry : environ.split("\0")) {
        if (entry.startsWith("PORT=")) {
          return parsePort(entry.substring(5));
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // the process ended, or is not ours to read: the app's env is the fallback
    }
    return null;
  }

  // ---- health

  private void startHealth(Watched w, int pid) {
    stopHealth(w);
    HealthCheck check = w.options.health();
    if (check != null) {
      w.health = new HealthRun(vertx, probes, pid, check, w.port, w.cwd == null ? "/" : w.cwd, w.env,
          (run, status, reason) -> verdict(w, run, status, reason));
      w.health.start();
    }
  }

  private void verdict(Watched w, HealthRun run, String status, String reason) {
    if (run != w.health) {
      return; // a run that was replaced meanwhile
    }
    LOG.info(() -> "pm_id " + w.pmId + " (" + w.app + ") is " + status + ": " + reason);
    vertx.eventBus().publish(Addresses.EVENTS_HEALTH,
        new HealthEvent(w.app, w.pmId, run.pid, status, reason, System.currentTimeMillis(), host).toJson());
    if (HealthEvent.UNHEALTHY.equals(status)) {
      restart(w, run.pid, "unhealthy: " + reason);
    }
  }

  private void stopHealth(Watched w) {
    if (w.health != null) {
      w.health.stop();
      w.health = null;
    }
  }

  // ---- cron

  private void applyCron(Watched w) {
    String expression = w.options.cronRestart();
    if (java.util.Objects.equals(expression, w.cron == null ? null : w.cron.expression)) {
      return;
    }
    if (w.cron != null) {
      w.cron.stop();
      w.cron = null;
    }
    if (expression != null) {
      w.cron = new CronRestart(vertx, expression, () -> {
        if ("online".equals(w.status) && w.pid != null) {
          restart(w, w.pid, "cron_restart '" + expression + "'");
        }
      });
      w.cron.start();
    }
  }

  // ---- errored retry

  private void scheduleErroredRetry(Watched w) {
    long after = w.options.erroredRetryMs();
    if (after <= 0 || w.erroredTimer >= 0) {
      return;
    }
    w.erroredTimer = vertx.setTimer(after, t -> {
      w.erroredTimer = -1;
      if ("errored".equals(w.status)) {
        restart(w, null, "errored_retry after " + after + " ms");
      }
    });
  }

  // ---- watch

  private void applyWatch(Watched w) {
    WatchdogOptions o = w.options;
    String key = o.watch() ? o.watchPaths() + "|" + o.ignoreWatch() + "|" + o.watchOptions() : null;
    if (java.util.Objects.equals(key, w.watchKey)) {
      return;
    }
    w.watchKey = key;
    if (files == null && key == null) {
      return;
    }
    if (files == null) {
      files = new FileWatcher((id, path) -> context.runOnContext(v -> onFileChange(id, path)));
    }
    FileWatcher watcher = files;
    vertx.executeBlocking(() -> {
      if (key == null) {
        watcher.unwatch(w.pmId);
      } else {
        watcher.watch(w.pmId, o.watchPaths(), o.ignoreWatch(), o.watchOptions());
      }
      return watcher.watchedFolders();
    }, true).onComplete(ar -> { // ordered: a toggle on then off must reach the watcher in that order
      if (ar.failed()) {
        LOG.warning(() -> w.app + ": cannot watch " + o.watchPaths() + ": " + ar.cause().getMessage());
      } else if (key != null) {
        LOG.info(() -> "pm_id " + w.pmId + " (" + w.app + ") watches " + o.watchPaths() + " (" + ar.result() + " folders watched in all)");
      }
    });
  }

  /** A change under a watched path: restart once the changes have settled for watch_delay. */
  private void onFileChange(int pmId, Path path) {
    Watched w = byId.get(pmId);
    if (w == null || w.watchKey == null) {
      return;
    }
    w.changes.add(path);
    cancel(w.watchTimer);
    w.watchTimer = vertx.setTimer(w.options.watchDelayMs(), t -> {
      w.watchTimer = -1;
      List<String> names = w.changes.stream().limit(5).map(Path::toString).toList();
      String more = w.changes.size() > names.size() ? " and " + (w.changes.size() - names.size()) + " more" : "";
      w.changes.clear();
      // an app the user stopped stays stopped, as with pm2
      if ("online".equals(w.status) || "launching".equals(w.status) || "waiting restart".equals(w.status)
          || "errored".equals(w.status)) {
        restart(w, null, "watch: " + String.join(", ", names) + more + " changed");
      }
    });
  }

  // ---- common

  private void restart(Watched w, Integer pid, String reason) {
    LOG.info(() -> "restarting pm_id " + w.pmId + " (" + w.app + "): " + reason);
    JsonObject body = new JsonObject().put("pm_id", w.pmId).put("pid", pid).put("reason", reason);
    // God answers once the instance is back, after up to its kill_timeout: beyond the bus's 30 s default
    vertx.eventBus().request(Addresses.INTERNAL_GOD_RESTART, body, new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(RESTART_TIMEOUT_MS))
        .onFailure(e -> {
          LOG.warning(() -> "restart of pm_id " + w.pmId + " failed: " + e.getMessage());
          judgeAgain(w, pid);
        });
  }

  /**
   * God could not restart the run Satan judged (a reload already under way, say) and it still
   * runs: judge it afresh, so a run still hung or still over its memory limit is restarted later
   * rather than left alone for good.
   */
  private void judgeAgain(Watched w, Integer pid) {
    if (pid == null || !pid.equals(w.pid) || byId.get(w.pmId) != w) {
      return; // that run is gone: the new one has its own probe
    }
    w.restartAskedFor = null;
    if (w.options.health() != null) {
      startHealth(w, pid);
    }
  }

  private void forget(Watched w) {
    stopHealth(w);
    if (w.cron != null) {
      w.cron.stop();
    }
    cancel(w.erroredTimer);
    cancel(w.watchTimer);
    if (w.watchKey != null && files != null) {
      FileWatcher watcher = files;
      vertx.executeBlocking(() -> {
        watcher.unwatch(w.pmId);
        return null;
      }, true);
    }
  }

  private void cancel(long timer) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private static Integer parsePort(String text) {
    try {
      return text == null ? null : Integer.valueOf(text.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String mb(long bytes) {
    return Math.round(bytes / 1024.0 / 1024 * 10) / 10.0 + "M";
  }

  void close() {
    probes.close();
    if (files != null) {
      files.close();
    }
  }
}
