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
import java.util.function.BooleanSupplier;
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
        watchdog.schedule(FAST);
        when(
                vertx,
                test,
                () -> redeployed.size() == 2 && answering(watchdog, "logs") && answering(watchdog, "persist"),
                () -> {
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
                });
    }

    @Test
    void aHungGodIsReportedAndRedeployed(Vertx vertx, VertxTestContext test) {
        List<String> redeployed = hungAndRedeployable(vertx, "god");
        VerticleWatchdog watchdog = new VerticleWatchdog(vertx);
        watchdog.schedule(FAST);
        when(vertx, test, () -> redeployed.size() == 1 && answering(watchdog, "god"), () -> {
            watchdog.close();
            assertEquals(
                    "answering",
                    watchdog.report().getJsonObject("god").getString("status"),
                    "the fresh one, pinged at once");
            assertEquals(true, watchdog.god().getBoolean("ok"));
            assertEquals(List.of("god"), redeployed);
        });
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
        watchdog.schedule(FAST);
        when(vertx, test, () -> redeployed.size() == 1 && "hung".equals(status(watchdog, "logs")), () -> {
            watchdog.close();
            assertEquals(List.of("logs"), redeployed, "one redeploy a round, not a storm");
        });
    }

    @Test
    void theFirstRoundOnlyTellsAHungOneIsRedeployedAtTheNext(Vertx vertx, VertxTestContext test) {
        List<String> redeployed = hungAndRedeployable(vertx, "logs");
        VerticleWatchdog watchdog = new VerticleWatchdog(vertx);
        watchdog.schedule(FAST)
                .onComplete(test.succeeding(v -> test.verify(() -> {
                    assertEquals("hung", status(watchdog, "logs"), "told at once");
                    assertEquals(List.of(), redeployed, "a start under load is slow, not hung: the next round decides");
                    when(vertx, test, () -> answering(watchdog, "logs"), () -> {
                        watchdog.close();
                        assertEquals(List.of("logs"), redeployed);
                    });
                })));
    }

    private static String status(VerticleWatchdog watchdog, String name) {
        return watchdog.report().getJsonObject(name).getString("status");
    }

    private static boolean answering(VerticleWatchdog watchdog, String name) {
        return "answering".equals(status(watchdog, name));
    }

    /** Runs {@code checks} on the event loop once {@code ready} holds (looked at every 20 ms), then completes. */
    private static void when(Vertx vertx, VertxTestContext test, BooleanSupplier ready, Runnable checks) {
        vertx.setPeriodic(20, id -> {
            if (ready.getAsBoolean()) {
                vertx.cancelTimer(id);
                test.verify(() -> {
                    checks.run();
                    test.completeNow();
                });
            }
        });
    }
}
