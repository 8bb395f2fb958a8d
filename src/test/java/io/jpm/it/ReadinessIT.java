package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * pm2's wait_ready, listen_timeout and shutdown_with_message: a run stays launching (and
 * {@code jpm start} waits) until the app says it is ready, through Node's process.send('ready')
 * or systemd's READY=1 on NOTIFY_SOCKET; a Node app is stopped by the message 'shutdown'. With
 * real apps through the real doors; listen_timeout, an exit before ready and the options' types are
 * tested over the bus in god/ReadinessTest.
 */
@ExtendWith(JpmExtension.class)
@WithoutTuning
class ReadinessIT {

    private static Path file(Jpm jpm, String name, JsonObject app) throws Exception {
        return jpm.ecosystem(name + ".json", app.put("name", name));
    }

    private static JsonObject launching(Jpm jpm, String name) {
        return Jpm.await(name + " launching with a pid", () -> {
            List<JsonObject> found = jpm.named(name);
            return found.size() == 1
                            && "launching".equals(Jpm.status(found.get(0)))
                            && found.get(0).getInteger("pid", 0) > 0
                    ? found.get(0)
                    : null;
        });
    }

    /**
     * {@code jpm start} of app {@code name} ({@code fixture}, with wait_ready and {@code listenTimeout}),
     * which says ready once {@code trigger} exists; the start runs on while the app is launching.
     */
    private static CompletableFuture<Jpm.Result> startWaitingFor(
            Jpm jpm, Path trigger, String name, String fixture, Object listenTimeout) throws Exception {
        Path config = file(
                jpm,
                name,
                new JsonObject()
                        .put("script", Jpm.fixture(fixture).toString())
                        .put("wait_ready", true)
                        .put("listen_timeout", listenTimeout)
                        .put("env", new JsonObject().put("READY_TRIGGER", trigger.toString())));
        return CompletableFuture.supplyAsync(() -> jpm.cli("start", config.toString()));
    }

    @Test
    void aNodeAppIsLaunchingUntilItSendsReadyAndStartWaitsForIt(Jpm jpm) throws Exception {
        Path trigger = jpm.scratch.resolve("node-ready");
        CompletableFuture<Jpm.Result> start = startWaitingFor(jpm, trigger, "nready", "ready.js", 60_000);
        JsonObject waiting = launching(jpm, "nready");
        assertFalse(start.isDone(), "start returns only once the app is ready");
        String log = waiting.getJsonObject("pm2_env").getString("pm_out_log_path");
        jpm.awaitLog(log, "ipc function");
        assertEquals("launching", Jpm.status(jpm.named("nready").get(0)), "still waiting: nothing was sent yet");

        Files.writeString(trigger, "go");
        Jpm.Result started = start.get(60, TimeUnit.SECONDS);
        assertEquals(0, started.exit(), started.toString());
        JsonObject online = jpm.named("nready").get(0);
        assertEquals("online", Jpm.status(online));
        assertTrue(online.getJsonObject("pm2_env").getBoolean("wait_ready"), online.encode());
        assertTrue(
                online.getJsonObject("jpm").getString("last_reason").contains("process.send('ready')"),
                online.encode());
    }

    @Test
    void anyLanguageSaysReadyWithReady1OnNotifySocket(Jpm jpm) throws Exception {
        Path trigger = jpm.scratch.resolve("py-ready");
        CompletableFuture<Jpm.Result> start = startWaitingFor(jpm, trigger, "pyready", "notify_ready.py", "60s");
        JsonObject waiting = launching(jpm, "pyready");
        jpm.awaitLog(waiting.getJsonObject("pm2_env").getString("pm_out_log_path"), "notify ");
        assertFalse(start.isDone());

        Files.writeString(trigger, "go");
        assertEquals(0, start.get(60, TimeUnit.SECONDS).exit());
        JsonObject online = jpm.awaitStatus("pyready", "online").get(0);
        assertTrue(online.getJsonObject("jpm").getString("last_reason").contains("READY=1"), online.encode());

        // a restart waits for the next run's signal again (the trigger is there: it comes at once)
        jpm.ok("restart", "pyready");
        JsonObject again = jpm.awaitStatus("pyready", "online").get(0);
        assertTrue(again.getJsonObject("jpm").getString("last_reason").contains("READY=1"), again.encode());
        assertEquals(1, again.getJsonObject("pm2_env").getInteger("restart_time"));
    }

    @Test
    void shutdownWithMessageStopsANodeAppByItsMessageNotASignal(Jpm jpm) throws Exception {
        Path config = file(
                jpm,
                "polite",
                new JsonObject()
                        .put("script", Jpm.fixture("ready.js").toString())
                        .put("shutdown_with_message", true)
                        .put("kill_timeout", 60_000));
        jpm.ok("start", config.toString());
        JsonObject online = jpm.awaitStatus("polite", "online").get(0);
        String log = online.getJsonObject("pm2_env").getString("pm_out_log_path");
        jpm.awaitLog(log, "sending ready"); // the preload is connected once its first message went out
        assertTrue(online.getJsonObject("pm2_env").getBoolean("shutdown_with_message"));

        jpm.ok("stop", "polite");
        JsonObject stopped = jpm.named("polite").get(0);
        assertEquals("stopped", Jpm.status(stopped));
        assertEquals(
                0, stopped.getJsonObject("pm2_env").getInteger("exit_code"), "exited by itself, within kill_timeout");
        String text = jpm.readLog(log);
        assertTrue(text.contains("message \"shutdown\"") && text.contains("bye via message"), text);
        assertFalse(text.contains("got SIGINT"), "no signal was sent: " + text);
    }
}
