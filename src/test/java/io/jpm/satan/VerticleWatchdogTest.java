package io.jpm.satan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.config.SatanSettings;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Over a real event bus: an answering god, silent logs and persistence, no balancer or config watcher at all. */
@ExtendWith(VertxExtension.class)
class VerticleWatchdogTest {
  private static final SatanSettings FAST = new SatanSettings(1000, 1000, 200, 10_000);

  @Test
  void answeringAbsentAndHungAreToldApartAndEveryHungOneIsRedeployed(Vertx vertx, VertxTestContext test) {
    List<String> redeployed = new ArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.INTERNAL_GOD_PING, m -> m.reply(Reply.ok(new JsonObject())));
    vertx.eventBus().<JsonObject>consumer(Addresses.INTERNAL_LOGS_PING, m -> { }); // hung: never answers
    vertx.eventBus().<JsonObject>consumer(Addresses.INTERNAL_PERSIST_PING, m -> { });
    vertx.eventBus().<JsonObject>consumer(Addresses.INTERNAL_DAEMON_REDEPLOY, m -> {
      redeployed.add(m.body().getString("verticle"));
      m.reply(Reply.ok(new JsonObject().put("deployment", "fresh")));
    });
    VerticleWatchdog watchdog = new VerticleWatchdog(vertx);
    watchdog.schedule(FAST).onComplete(test.succeeding(v -> test.verify(() -> {
      watchdog.close();
      JsonObject report = watchdog.report();
      assertEquals("answering", report.getJsonObject("god").getString("status"));
      assertEquals("absent", report.getJsonObject("balancer").getString("status"));
      assertEquals("absent", report.getJsonObject("config").getString("status"));
      assertEquals("unknown", report.getJsonObject("logs").getString("status"), "redeployed: not judged yet");
      assertEquals("unknown", report.getJsonObject("persist").getString("status"), "redeployed: not judged yet");
      assertEquals(List.of("logs", "persist"), redeployed.stream().sorted().toList());
      assertEquals(true, watchdog.god().getBoolean("ok"));
      test.completeNow();
    })));
  }

  @Test
  void aHungGodIsReportedAndRedeployed(Vertx vertx, VertxTestContext test) {
    List<String> redeployed = new ArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.INTERNAL_GOD_PING, m -> { });
    vertx.eventBus().<JsonObject>consumer(Addresses.INTERNAL_DAEMON_REDEPLOY, m -> {
      redeployed.add(m.body().getString("verticle"));
      m.reply(Reply.ok(new JsonObject().put("deployment", "fresh")));
    });
    VerticleWatchdog watchdog = new VerticleWatchdog(vertx);
    watchdog.schedule(FAST).onComplete(test.succeeding(v -> test.verify(() -> {
      watchdog.close();
      assertEquals("unknown", watchdog.report().getJsonObject("god").getString("status"), "redeployed: not judged yet");
      assertEquals(false, watchdog.god().getBoolean("ok"));
      assertEquals(List.of("god"), redeployed);
      test.completeNow();
    })));
  }
}
