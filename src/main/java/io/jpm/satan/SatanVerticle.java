package io.jpm.satan;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.MetricsSample;
import io.jpm.protocol.ProcessEvent;
import io.jpm.protocol.Reply;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Satan: the daemon's watchdog. Pings God over the bus on a period and logs when it does not
 * answer in time; samples every running instance's process group from /proc and publishes the
 * figures; answers {@code jpm ping} with the daemon's health.
 *
 * <p>Config: {@code {"host":..., "pingIntervalMs":5000, "pingTimeoutMs":2000, "sampleIntervalMs":1000}}.
 */
public final class SatanVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger("jpm.satan");

  private final ProcSampler sampler = new ProcSampler();
  /** pm_id by the process-group id of its running process, from process events. */
  private final Map<Integer, Integer> groups = new HashMap<>();
  private final long startedAt = System.currentTimeMillis();
  private JsonObject lastGodPing = new JsonObject().put("ok", false).put("at", 0L).put("latencyMs", (Object) null);
  /** Starts true so the first answer is logged too. */
  private boolean godWasDown = true;
  private boolean sampling;
  private String host;

  @Override
  public Future<?> start() {
    host = config().getString("host", "localhost");
    long pingInterval = config().getLong("pingIntervalMs", 5000L);
    long pingTimeout = config().getLong("pingTimeoutMs", 2000L);
    long sampleInterval = config().getLong("sampleIntervalMs", 1000L);

    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_PROCESS, m -> track(ProcessEvent.fromJson(m.body())));
    vertx.eventBus().<JsonObject>consumer(Addresses.QUERY_PING, m -> m.reply(Reply.ok(new JsonObject()
        .put("pong", true)
        .put("pid", ProcessHandle.current().pid())
        .put("host", host)
        .put("uptime", System.currentTimeMillis() - startedAt)
        .put("threads", ManagementFactory.getThreadMXBean().getThreadCount())
        .put("god", lastGodPing.copy()))));
    vertx.setPeriodic(pingInterval, t -> pingGod(pingTimeout));
    vertx.setPeriodic(sampleInterval, t -> sample());
    return pingGod(pingTimeout);
  }

  private Future<Void> pingGod(long timeout) {
    long sent = System.nanoTime();
    return vertx.eventBus().request(Addresses.INTERNAL_GOD_PING, new JsonObject(), new DeliveryOptions().setSendTimeout(timeout))
        .map(reply -> {
          double latency = (System.nanoTime() - sent) / 1e6;
          lastGodPing = new JsonObject().put("ok", true).put("at", System.currentTimeMillis())
              .put("latencyMs", Math.round(latency * 100) / 100.0);
          if (godWasDown) {
            LOG.info(() -> String.format("God answers its ping (%.2f ms)", latency));
            godWasDown = false;
          }
          return (Void) null;
        })
        .recover(err -> {
          lastGodPing = new JsonObject().put("ok", false).put("at", System.currentTimeMillis())
              .put("latencyMs", (Object) null).put("error", err.getMessage());
          godWasDown = true;
          // logged at every failed ping: a God that stops answering is the daemon's worst state
          LOG.warning(() -> "God did not answer its ping within " + timeout + " ms: " + err.getMessage());
          return Future.succeededFuture();
        });
  }

  private void track(ProcessEvent event) {
    groups.values().removeIf(pmId -> pmId == event.pmId());
    if (event.pid() != null && ("online".equals(event.to()) || "launching".equals(event.to()))) {
      groups.put(event.pid(), event.pmId());
    }
  }

  private void sample() {
    if (sampling || groups.isEmpty()) {
      return;
    }
    sampling = true;
    Map<Integer, Integer> snapshot = Map.copyOf(groups);
    vertx.executeBlocking(() -> sampler.sample(snapshot), false)
        .onComplete(ar -> {
          sampling = false;
          if (ar.succeeded()) {
            vertx.eventBus().publish(Addresses.EVENTS_METRICS,
                new MetricsSample(host, System.currentTimeMillis(), ar.result()).toJson());
          }
        });
  }
}
