package io.jpm.satan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.config.HealthCheck;
import io.jpm.config.WatchdogOptions;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.ProcessEvent;
import io.jpm.protocol.ProcessState;
import io.jpm.protocol.RunFacts;
import io.jpm.verticle.LocalRecordCodec;
import io.jpm.verticle.Plain;
import io.jpm.verticle.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Satan's restarts against a stand-in God on the bus: a run judged unhealthy whose restart God
 * refuses (a reload of its app already under way) is judged again and restarted later, not left
 * alone for good; an instance that never ran (registered stopped, or stopped before it was online)
 * keeps its cron.
 */
@ExtendWith(VertxExtension.class)
class AppWatchdogTest {
    @TempDir
    Path dir;

    /** God's facts of pm_id 0, run {@code pid}, with an exec probe that always fails. */
    private void factsWithAFailingProbe(Vertx vertx, int pid) {
        HealthCheck failing = new HealthCheck(HealthCheck.Kind.EXEC, "false", 100, 100, 2, 0);
        WatchdogOptions options =
                new WatchdogOptions(failing, 0, null, false, List.of(), List.of(), 100, 0, null, null);
        LocalRecordCodec.registerAll(vertx.eventBus()); // as the daemon does: God answers with the record itself
        vertx.eventBus()
                .<JsonObject>consumer(
                        Addresses.INTERNAL_GOD_RUN,
                        m -> m.reply(new RunFacts(
                                m.body().getInteger("pm_id"),
                                "web",
                                pid,
                                "online",
                                dir.toString(),
                                Map.of(),
                                null,
                                Plain.map(options.toJson()))));
    }

    @Test
    void aRestartGodRefusesIsAskedAgainAfterAFreshVerdict(Vertx vertx, VertxTestContext test) throws Exception {
        int pid = (int) ProcessHandle.current().pid(); // alive for the whole test; its environ has no PORT
        factsWithAFailingProbe(vertx, pid);
        List<JsonObject> asked = new CopyOnWriteArrayList<>();
        vertx.eventBus().<JsonObject>consumer(Addresses.INTERNAL_GOD_RESTART, m -> {
            asked.add(m.body());
            if (asked.size() == 1) {
                m.fail(
                        JpmError.INVALID_ARGUMENT.ordinal(),
                        "a reload of 'web' is already under way; wait for it to finish");
                return;
            }
            test.verify(() -> {
                assertEquals(2, asked.size());
                for (JsonObject body : asked) {
                    assertEquals(0, body.getInteger("pm_id"));
                    assertEquals(pid, body.getInteger("pid"), "both restarts judge the same, still running, run");
                    assertTrue(body.getString("reason").startsWith("unhealthy: health exec false"), body.encode());
                }
            });
            m.reply(Reply.ok(new JsonObject()));
            test.completeNow();
        });
        vertx.runOnContext(v -> {
            AppWatchdog watchdog = new AppWatchdog(vertx, vertx.getOrCreateContext(), "test", () -> {});
            watchdog.onProcessEvent(ProcessEvent.builder()
                    .app("web")
                    .pid(pid)
                    .from("launching")
                    .to("online")
                    .reason("spawned")
                    .time(System.currentTimeMillis())
                    .host("test")
                    .build());
        });
        assertTrue(test.awaitCompletion(20, TimeUnit.SECONDS), "a second restart was asked");
        if (test.failed()) {
            throw new AssertionError(test.causeOfFailure());
        }
    }

    @Test
    void aReloadsOldRunEndingDoesNotStopTheProbeOfTheNewRunThatHoldsThePmId(Vertx vertx, VertxTestContext test)
            throws Exception {
        int pid = (int) ProcessHandle.current().pid(); // the new run: alive for the whole test
        int oldPid = pid + 100_000; // the old run, being stopped
        factsWithAFailingProbe(vertx, pid);
        vertx.eventBus().<JsonObject>consumer(Addresses.INTERNAL_GOD_RESTART, m -> {
            test.verify(() -> assertEquals(pid, m.body().getInteger("pid"), "the new run is the one judged"));
            m.reply(Reply.ok(new JsonObject()));
            test.completeNow();
        });
        vertx.runOnContext(v -> {
            AppWatchdog watchdog = new AppWatchdog(vertx, vertx.getOrCreateContext(), "test", () -> {});
            long now = System.currentTimeMillis();
            watchdog.onProcessEvent(ProcessEvent.builder()
                    .app("web")
                    .from("stopped")
                    .to("launching")
                    .reason("reload asked")
                    .time(now)
                    .host("test")
                    .build());
            watchdog.onProcessEvent(ProcessEvent.builder()
                    .app("web")
                    .pid(pid)
                    .from("launching")
                    .to("online")
                    .reason("spawned")
                    .time(now)
                    .host("test")
                    .build());
            watchdog.onProcessEvent(ProcessEvent.builder()
                    .app("web")
                    .pid(oldPid)
                    .from("online")
                    .to("stopping")
                    .reason("replaced")
                    .time(now)
                    .host("test")
                    .oldRun(true)
                    .build());
            watchdog.onProcessEvent(ProcessEvent.builder()
                    .app("web")
                    .from("stopping")
                    .to("stopped")
                    .reason("stopped")
                    .exitCode(0)
                    .time(now)
                    .host("test")
                    .oldRun(true)
                    .build());
            // an event about another pid of the pm_id, even unmarked, leaves the watched run alone too
            watchdog.onProcessEvent(ProcessEvent.builder()
                    .app("web")
                    .pid(oldPid)
                    .from("online")
                    .to("stopping")
                    .reason("late")
                    .time(now)
                    .host("test")
                    .build());
        });
        assertTrue(test.awaitCompletion(20, TimeUnit.SECONDS), "the new run was still probed and judged");
        if (test.failed()) {
            throw new AssertionError(test.causeOfFailure());
        }
    }

    /** God's facts of a stopped instance (no run) whose only option is a cron every second. */
    private static void factsOfAStoppedCronJob(Vertx vertx) {
        WatchdogOptions options =
                new WatchdogOptions(null, 0, "* * * * * *", false, List.of(), List.of(), 100, 0, null, null);
        LocalRecordCodec.registerAll(vertx.eventBus());
        vertx.eventBus()
                .<JsonObject>consumer(
                        Addresses.INTERNAL_GOD_RUN,
                        m -> m.reply(new RunFacts(
                                m.body().getInteger("pm_id"),
                                "job",
                                null,
                                "stopped",
                                "/",
                                Map.of(),
                                null,
                                Plain.map(options.toJson()))));
    }

    /** Completes {@code test} at the first start God is asked for: pm_id 3, stopped ones too, the cron named. */
    private static void expectCronStart(Vertx vertx, VertxTestContext test) {
        vertx.eventBus().<JsonObject>consumer(Addresses.INTERNAL_GOD_RESTART, m -> {
            m.reply(Reply.ok(new JsonObject()));
            test.verify(() -> {
                assertEquals(3, m.body().getInteger("pm_id"));
                assertEquals(null, m.body().getInteger("pid"));
                assertEquals(true, m.body().getBoolean("stopped_too"), m.body().encode());
                assertEquals("cron_restart '* * * * * *'", m.body().getString("reason"));
            });
            test.completeNow();
        });
    }

    /** Issue 62: an instance a resurrect, an adoption or a handover registered stopped keeps its cron. */
    @Test
    void anInstanceRegisteredStoppedGetsItsCron(Vertx vertx, VertxTestContext test) throws Exception {
        factsOfAStoppedCronJob(vertx);
        expectCronStart(vertx, test);
        vertx.runOnContext(v -> new AppWatchdog(vertx, vertx.getOrCreateContext(), "test", () -> {})
                .onResting(3, "job", ProcessState.STOPPED));
        assertTrue(test.awaitCompletion(20, TimeUnit.SECONDS), "the cron asked God to start the job");
        if (test.failed()) {
            throw new AssertionError(test.causeOfFailure());
        }
    }

    /** An instance whose first event is a stop (it exited before it was online) keeps its cron too. */
    @Test
    void anInstanceStoppedBeforeItWasOnlineGetsItsCron(Vertx vertx, VertxTestContext test) throws Exception {
        factsOfAStoppedCronJob(vertx);
        expectCronStart(vertx, test);
        vertx.runOnContext(v -> new AppWatchdog(vertx, vertx.getOrCreateContext(), "test", () -> {})
                .onProcessEvent(ProcessEvent.builder()
                        .app("job")
                        .pmId(3)
                        .from("launching")
                        .to("stopped")
                        .reason("exited before it was ready")
                        .exitCode(0)
                        .time(System.currentTimeMillis())
                        .host("test")
                        .build()));
        assertTrue(test.awaitCompletion(20, TimeUnit.SECONDS), "the cron asked God to start the job");
        if (test.failed()) {
            throw new AssertionError(test.causeOfFailure());
        }
    }
}
