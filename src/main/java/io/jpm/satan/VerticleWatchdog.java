package io.jpm.satan;

import io.jpm.config.SatanSettings;
import io.jpm.protocol.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Pings the daemon's verticles over the bus with a deadline. A verticle that is not deployed (no
 * handler: the balancer of a daemon without one) is skipped; one that does not answer in time is
 * hung: logged, then redeployed by the daemon's main class (the LogAggregator, whose state is only
 * open files). God, the balancer, the config watcher and persistence are only logged: a fresh one
 * could not rebuild their state (God's table of running apps: not yet, DESIGN 8b). An
 * answer that comes late is reported as a stall of that verticle's thread.
 */
final class VerticleWatchdog {
  private static final Logger LOG = Logger.getLogger("jpm.satan");

  /** The state of one watched verticle, as {@code jpm ping} shows it. */
  enum Status { UNKNOWN, ANSWERING, ABSENT, HUNG, REDEPLOYING }

  /** Beyond the daemon's own 60 s wait for the old deployment to go. */
  private static final long REDEPLOY_TIMEOUT_MS = 90_000;

  private record Watched(String name, String address, boolean redeployable) {}

  private final Vertx vertx;
  private final Map<String, Watched> watched = new LinkedHashMap<>();
  private final Map<String, JsonObject> last = new LinkedHashMap<>();
  private final Map<String, Status> status = new LinkedHashMap<>();

  VerticleWatchdog(Vertx vertx) {
    this.vertx = vertx;
    add(new Watched("god", Addresses.INTERNAL_GOD_PING, false));
    add(new Watched("logs", Addresses.INTERNAL_LOGS_PING, true));
    // the balancer holds the apps God opened and their listening ports, the config watcher the
    // watched files, persistence its pending dump: a fresh one would start empty, so these are
    // reported, not redeployed
    add(new Watched("balancer", Addresses.INTERNAL_BALANCER_PING, false));
    add(new Watched("config", Addresses.INTERNAL_CONFIG_PING, false));
    add(new Watched("persist", Addresses.INTERNAL_PERSIST_PING, false));
  }

  private void add(Watched w) {
    watched.put(w.name, w);
    status.put(w.name, Status.UNKNOWN);
    last.put(w.name, new JsonObject().put("status", "unknown"));
  }

  /** Pings every verticle once; completes when all have answered, failed or timed out. */
  Future<Void> pingAll(SatanSettings settings) {
    return Future.join(watched.values().stream().map(w -> ping(w, settings)).toList()).mapEmpty();
  }

  private Future<Void> ping(Watched w, SatanSettings settings) {
    if (status.get(w.name) == Status.REDEPLOYING) {
      return Future.succeededFuture();
    }
    long sent = System.nanoTime();
    return vertx.eventBus().request(w.address, new JsonObject(), new DeliveryOptions().setSendTimeout(settings.pingTimeoutMs()))
        .map(reply -> {
          double latency = (System.nanoTime() - sent) / 1e6;
          if (status.get(w.name) != Status.ANSWERING) {
            LOG.info(() -> String.format("%s answers its ping (%.2f ms)", w.name, latency));
          }
          if (latency > settings.stallWarningMs()) {
            LOG.warning(() -> String.format("%s stalled: its ping took %.0f ms (warning above %d ms)", w.name, latency, settings.stallWarningMs()));
          }
          record(w, Status.ANSWERING, latency, null);
          return (Void) null;
        })
        .recover(err -> {
          if (err instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS) {
            record(w, Status.ABSENT, null, null);
            return Future.succeededFuture();
          }
          record(w, Status.HUNG, null, err.getMessage());
          // logged at every failed ping: a verticle that stops answering is the daemon's worst state
          LOG.warning(() -> w.name + " did not answer its ping within " + settings.pingTimeoutMs() + " ms: " + err.getMessage()
              + (w.redeployable ? "; redeploying it" : "; its state could not be rebuilt by a fresh one, so it is not redeployed"));
          return w.redeployable ? redeploy(w) : Future.succeededFuture();
        });
  }

  private Future<Void> redeploy(Watched w) {
    status.put(w.name, Status.REDEPLOYING);
    // the daemon answers once the hung deployment is gone, which may take as long as the hang
    return vertx.eventBus().<JsonObject>request(Addresses.INTERNAL_DAEMON_REDEPLOY, new JsonObject().put("verticle", w.name),
            new DeliveryOptions().setSendTimeout(REDEPLOY_TIMEOUT_MS))
        .map(reply -> {
          LOG.warning(() -> "redeployed " + w.name + ": deployment " + reply.body().getJsonObject("data").getString("deployment"));
          record(w, Status.UNKNOWN, null, null);
          return (Void) null;
        })
        .recover(err -> {
          LOG.warning(() -> "cannot redeploy " + w.name + ": " + err.getMessage());
          record(w, Status.HUNG, null, err.getMessage());
          return Future.succeededFuture();
        });
  }

  private void record(Watched w, Status s, Double latencyMs, String error) {
    status.put(w.name, s);
    JsonObject json = new JsonObject().put("status", s.name().toLowerCase(java.util.Locale.ROOT))
        .put("at", System.currentTimeMillis());
    if (latencyMs != null) {
      json.put("latencyMs", Math.round(latencyMs * 100) / 100.0);
    }
    if (error != null) {
      json.put("error", error);
    }
    last.put(w.name, json);
  }

  /** {"god":{"status":"answering","latencyMs":0.4,"at":..}, "logs":{...}, "balancer":{"status":"absent"}}. */
  JsonObject report() {
    JsonObject json = new JsonObject();
    last.forEach((name, value) -> json.put(name, value.copy()));
    return json;
  }

  /** God's last ping in the shape {@code jpm ping} has always shown. */
  JsonObject god() {
    JsonObject g = last.get("god");
    return new JsonObject().put("ok", "answering".equals(g.getString("status"))).put("at", g.getLong("at", 0L))
        .put("latencyMs", g.getValue("latencyMs")).put("error", g.getString("error"));
  }
}
