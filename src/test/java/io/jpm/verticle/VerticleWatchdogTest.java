package io.jpm.verticle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.config.SatanSettings;
import io.jpm.protocol.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Over a real event bus: an answering god, silent logs and persistence, no balancer or config
 * watcher at all. The stand-in daemon "redeploys" a silent one by putting an answering consumer in
 * its place, as a fresh deployment would be.
 */
@ExtendWith(VertxExtension.class)
class VerticleWatchdogTest {
    private static final SatanSettings FAST = new SatanSettings(1000, 30_000, 1000, 200, 10_000);
    private static final Map<String, String> PINGS = Map.of(
            "god",
            Addresses.INTERNAL_GOD_PING,
            "logs",
            Addresses.INTERNAL_LOGS_PING,
            "persist",
            Addresses.INTERNAL_PERSIST_PING);

    /** Hung stand-ins for {@code names}, and a daemon that replaces each with an answering one; returns what it redeployed. */
    private static List<String> hungAndRedeployable(Vertx vertx, String... names) {
        Map<String, MessageConsumer<JsonObject>> hung = new HashMap<>();
        for (String name : names) {
            hung.put(name, vertx.eventBus().consumer(PINGS.get(name), m -> {})); // never answers
        }
        List<String> redeployed = new ArrayList<>();
        vertx.eventBus().<JsonObject>consumer(Addresses.INTERNAL_DAEMON_REDEPLOY, m -> {
            String name = m.body().getString("verticle");
            redeployed.add(name);
            hung.remove(name).unregister();
            vertx.eventBus().<JsonObject>consumer(PINGS.get(name), ping -> ping.reply(Reply.ok(new JsonObject())));
            m.reply(Reply.ok(new JsonObject().put("deployment", "fresh")));
        });
        return redeployed;
    }

    @Test
    void answeringAbsentAndHungAreToldApartAndEveryHungOneIsRedeployedThenPingedAgain(
            Vertx vertx, VertxTestContext test) {
        vertx.eventBus().<JsonObject>consumer(Addresses.INTERNAL_GOD_PING, m -> m.reply(Reply.ok(new JsonObject())));
        List<String> redeployed = hungAndRedeployable(vertx, "logs", "persist");
        VerticleWatchdog watchdog = new VerticleWatchdog(vertx);
        watchdog.schedule(FAST)
                .onComplete(test.succeeding(v -> test.verify(() -> {
                    watchdog.close();
                    JsonObject report = watchdog.report();
                    assertEquals("answering", report.getJsonObject("god").getString("status"));
                    assertEquals("absent", report.getJsonObject("balancer").getString("status"));
                    assertEquals("absent", report.getJsonObject("config").getString("status"));
                    assertEquals(
                            "answering",
                            report.getJsonObject("logs").getString("status"),
                            "the fresh one, pinged at once");
                    assertEquals(
                            "answering",
                            report.getJsonObject("persist").getString("status"),
                            "the fresh one, pinged at once");
                    assertEquals(
                            List.of("logs", "persist"),
                            redeployed.stream().sorted().toList());
                    assertEquals(true, watchdog.god().getBoolean("ok"));
                    test.completeNow();
                })));
    }

    @Test
    void aHungGodIsReportedAndRedeployed(Vertx vertx, VertxTestContext test) {
        List<String> redeployed = hungAndRedeployable(vertx, "god");
        VerticleWatchdog watchdog = new VerticleWatchdog(vertx);
        watchdog.schedule(FAST)
                .onComplete(test.succeeding(v -> test.verify(() -> {
                    watchdog.close();
                    assertEquals(
                            "answering",
                            watchdog.report().getJsonObject("god").getString("status"),
                            "the fresh one, pinged at once");
                    assertEquals(true, watchdog.god().getBoolean("ok"));
                    assertEquals(List.of("god"), redeployed);
                    test.completeNow();
                })));
    }

    @Test
    void aFreshOneThatDoesNotAnswerEitherIsReportedHungAndLeftForTheNextRound(Vertx vertx, VertxTestContext test) {
        vertx.eventBus().<JsonObject>consumer(Addresses.INTERNAL_LOGS_PING, m -> {});
        List<String> redeployed = new ArrayList<>();
        vertx.eventBus().<JsonObject>consumer(Addresses.INTERNAL_DAEMON_REDEPLOY, m -> {
            redeployed.add(m.body().getString("verticle")); // "deployed", but still silent
            m.reply(Reply.ok(new JsonObject().put("deployment", "fresh")));
        });
        VerticleWatchdog watchdog = new VerticleWatchdog(vertx);
        watchdog.schedule(FAST)
                .onComplete(test.succeeding(v -> test.verify(() -> {
                    watchdog.close();
                    assertEquals("hung", watchdog.report().getJsonObject("logs").getString("status"));
                    assertEquals(List.of("logs"), redeployed, "one redeploy a round, not a storm");
                    test.completeNow();
                })));
    }
}
