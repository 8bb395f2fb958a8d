package io.jpm.satan;

import com.cronutils.model.Cron;
import io.jpm.config.CronExpressions;
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
import java.time.ZonedDateTime;
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
  /** The first probe of a run comes this soon, so a balancer learns "healthy" early. */
  private static final long FIRST_PROBE_MS = 250;
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
    long cronTimer = -1;
    String cronExpression;
    long erroredTimer = -1;
    long watchTimer = -1;
    String watchKey;
    /** Paths changed since the last watch restart, in order, for its reason. */
    final java.util.Set<Path> changes = new java.util.LinkedHashSet<>();

    Watched(int pmId) {
      this.pmId = pmId;
    }
  }

  /** One run's probe state. */
  private static final class HealthRun {
    final int pid;
    final HealthCheck check;
    final long startedAt = System.currentTimeMillis();
    int failures;
    String verdict;
    long timer = -1;
    boolean inFlight;

    HealthRun(int pid, HealthCheck check) {
      this.pid = pid;
      this.check = check;
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
    if ("deleted".equals(event.to())) {
      Watched w = byId.remove(event.pmId());
      if (w != null) {
        forget(w);
      }
      return;
    }
    Watched w = byId.computeIfAbsent(event.pmId(), Watched::new);
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
      if (pid != null && pid.equals(w.pid) && w.options.health() != null) {
        // the PORT the process really got (God may assign one beyond the app's env)
        vertx.executeBlocking(() -> portInEnvironment(pid), false).onComplete(port -> {
          if (port.succeeded() && port.result() != null) {
            w.port = port.result();
          }
          if (pid.equals(w.pid)) {
            startHealth(w, pid);
          }
        });
      }
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
    if (check == null) {
      return;
    }
    w.health = new HealthRun(pid, check);
    scheduleProbe(w, w.health, FIRST_PROBE_MS);
  }

  private void scheduleProbe(Watched w, HealthRun run, long delay) {
    run.timer = vertx.setTimer(delay, t -> probe(w, run));
  }

  private void probe(Watched w, HealthRun run) {
    if (w.health != run) {
      return;
    }
    run.inFlight = true;
    probes.probe(run.check, w.port, w.cwd == null ? "/" : w.cwd, w.env).onComplete(ar -> {
      run.inFlight = false;
      if (w.health != run) {
        return; // the run ended while probing
      }
      if (ar.succeeded()) {
        run.failures = 0;
        verdict(w, run, HealthEvent.HEALTHY, run.check.describe() + ": passed");
      } else if (run.verdict == null && System.currentTimeMillis() - run.startedAt < run.check.startPeriodMs()) {
        LOG.fine(() -> w.app + " probe failed in its start period: " + ar.cause().getMessage());
      } else {
        run.failures++;
        if (run.failures >= run.check.unhealthyAfter()) {
          String reason = "health " + run.check.describe() + ": " + ar.cause().getMessage() + " (" + run.failures + " in a row)";
          verdict(w, run, HealthEvent.UNHEALTHY, reason);
          stopHealth(w);
          restart(w, run.pid, "unhealthy: " + reason);
          return;
        }
      }
      scheduleProbe(w, run, run.check.intervalMs());
    });
  }

  private void verdict(Watched w, HealthRun run, String status, String reason) {
    if (status.equals(run.verdict)) {
      return;
    }
    run.verdict = status;
    LOG.info(() -> "pm_id " + w.pmId + " (" + w.app + ") is " + status + ": " + reason);
    vertx.eventBus().publish(Addresses.EVENTS_HEALTH,
        new HealthEvent(w.app, w.pmId, run.pid, status, reason, System.currentTimeMillis(), host).toJson());
  }

  private void stopHealth(Watched w) {
    if (w.health != null) {
      cancel(w.health.timer);
      w.health = null;
    }
  }

  // ---- cron

  private void applyCron(Watched w) {
    String expression = w.options.cronRestart();
    if (java.util.Objects.equals(expression, w.cronExpression)) {
      return;
    }
    cancel(w.cronTimer);
    w.cronTimer = -1;
    w.cronExpression = expression;
    if (expression != null) {
      // the first use loads cron-utils: keep that off the event loop
      vertx.executeBlocking(() -> CronExpressions.parse(expression), false)
          .onSuccess(cron -> scheduleCron(w, cron, expression))
          .onFailure(e -> LOG.warning(() -> w.app + ": cron_restart '" + expression + "': " + e.getMessage()));
    }
  }

  private void scheduleCron(Watched w, Cron cron, String expression) {
    if (byId.get(w.pmId) != w || !expression.equals(w.cronExpression)) {
      return;
    }
    CronExpressions.untilNext(cron, ZonedDateTime.now()).ifPresent(delay -> {
      w.cronTimer = vertx.setTimer(Math.max(1, delay.toMillis() + 1), t -> {
        w.cronTimer = -1;
        if ("online".equals(w.status) && w.pid != null) {
          restart(w, w.pid, "cron_restart '" + expression + "'");
        }
        scheduleCron(w, cron, expression);
      });
    });
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
    String key = o.watch() ? o.watchPaths() + "|" + o.ignoreWatch() : null;
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
        watcher.watch(w.pmId, o.watchPaths(), o.ignoreWatch());
      }
      return watcher.watchedFolders();
    }, false).onComplete(ar -> {
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
      if ("online".equals(w.status) || "launching".equals(w.status) || "waiting restart".equals(w.status)
          || "errored".equals(w.status)) {
        List<String> names = w.changes.stream().limit(5).map(Path::toString).toList();
        String more = w.changes.size() > names.size() ? " and " + (w.changes.size() - names.size()) + " more" : "";
        w.changes.clear();
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
        .onFailure(e -> LOG.warning(() -> "restart of pm_id " + w.pmId + " failed: " + e.getMessage()));
  }

  private void forget(Watched w) {
    stopHealth(w);
    cancel(w.cronTimer);
    cancel(w.erroredTimer);
    cancel(w.watchTimer);
    if (w.watchKey != null && files != null) {
      FileWatcher watcher = files;
      vertx.executeBlocking(() -> {
        watcher.unwatch(w.pmId);
        return null;
      }, false);
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
