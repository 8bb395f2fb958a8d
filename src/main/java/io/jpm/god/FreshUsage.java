package io.jpm.god;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.MetricsSample;
import io.jpm.verticle.Plain;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.logging.Logger;

/**
 * Before God lists or describes: cpu and memory no older than Satan's sample interval, folded into
 * the table. Satan reads /proc only every idle sample interval while nobody follows the figures
 * (satan.SamplingPace), so who looks asks. A Satan that does not answer in time leaves the last
 * figures: an answer with older figures beats a late one. Nobody is asked while the figures God
 * holds are younger than {@link #FRESH_MS} (a client polling the list, a follower of the figures),
 * or when no process runs: the round trip to Satan's loop and back was two thread hand-offs of every
 * list, each a wait for a core on a busy machine.
 */
final class FreshUsage {
    private static final Logger LOG = Logger.getLogger("jpm.god");
    /** A /proc read of 1,000 processes takes ~20 ms; a loaded machine may take ten times that. */
    private static final long ASK_TIMEOUT_MS = 1500;
    /** Satan's default sample interval: figures this young are what asking it would give. */
    static final long FRESH_MS = 1000;

    private final EventBus bus;
    private final SatanLink satan;

    FreshUsage(EventBus bus, SatanLink satan) {
        this.bus = bus;
        this.satan = satan;
    }

    Future<Void> get() {
        long appliedAt = satan.appliedAt();
        if (!satan.anyRunning() || appliedAt != 0 && System.nanoTime() - appliedAt < FRESH_MS * 1_000_000) {
            return Future.succeededFuture();
        }
        return bus.<JsonObject>request(
                        Addresses.INTERNAL_SATAN_SAMPLE,
                        new JsonObject(),
                        new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS).setLocalOnly(true))
                .<Void>map(reply -> {
                    JsonObject data = reply.body().getJsonObject("data");
                    if (data != null) {
                        satan.applyMetrics(MetricsSample.from(Plain.map(data)));
                    }
                    return null;
                })
                .otherwise(e -> {
                    LOG.fine(() -> "no fresh sample from satan (" + e.getMessage() + "): the last figures are listed");
                    return null;
                });
    }
}
