package io.jpm.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.ActionRequest;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.ProcessSummary;
import io.jpm.protocol.RestartOptions;
import io.jpm.protocol.ScaleRequest;
import io.jpm.protocol.SignalRequest;
import io.jpm.protocol.StartRequest;
import io.jpm.protocol.StdinRequest;
import io.jpm.protocol.TargetRequest;
import io.jpm.verticle.Plain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One contract for both sides: each request the CLI builds from a protocol record, written by the
 * CLI's JSON writer, read by the daemon (Vert.x's JSON, then {@link Plain}) into the same record;
 * and God's reply read back by the CLI.
 */
class ContractTest {
    /** The CLI's bytes for a record's map, as the daemon decodes them. */
    private static Map<String, Object> overTheWire(Map<String, Object> fromClient) throws Exception {
        return Plain.map(new JsonObject(new String(Json.write(fromClient), StandardCharsets.UTF_8)));
    }

    @Test
    void requestsArriveAsTheRecordsTheClientBuilt() throws Exception {
        TargetRequest target =
                new TargetRequest(List.of("api", "3", "eco.config.js"), "/srv", Map.of("NODE_ENV", "production"));
        assertEquals(target, TargetRequest.from(overTheWire(target.toMap())));

        ActionRequest restart = new ActionRequest(
                target,
                true,
                "production",
                2,
                ActionRequest.Watch.TOGGLE,
                null,
                Map.of(
                        "interpreter_args",
                        "--max-old-space-size=100",
                        "cron_restart",
                        "0 3 * * *",
                        "args",
                        List.of("a", "b")));
        assertEquals(restart, ActionRequest.from(overTheWire(restart.toMap())));
        assertEquals(
                new RestartOptions(true, Map.of("NODE_ENV", "production"), "production", 2), restart.restartOptions());
        ActionRequest stop = new ActionRequest(
                new TargetRequest(List.of("all"), "/", Map.of()), false, null, 0, ActionRequest.Watch.OFF);
        assertEquals(stop, ActionRequest.from(overTheWire(stop.toMap())));
        ActionRequest reload = new ActionRequest(target, false, null, 0, ActionRequest.Watch.KEEP, "20s", Map.of());
        assertEquals(reload, ActionRequest.from(overTheWire(reload.toMap())));
        assertEquals("20s", reload.restartOptions().listenTimeout());
        assertEquals(
                "5000",
                RestartOptions.from(Map.of("listen_timeout", 5000.0)).listenTimeout(),
                "a JSON client's number");

        StartRequest start = StartRequest.builder()
                .apps(List.of(Map.of(
                        "script",
                        "worker.py",
                        "instances",
                        2,
                        "env",
                        Map.of("A", "1"),
                        "args",
                        List.of("--queue", "jobs"))))
                .cwd("/srv")
                .env(Map.of("PATH", "/bin"))
                .force(true)
                .only(List.of("api"))
                .envName("production")
                .action(StartRequest.RELOAD)
                .parallel(3)
                .strict(true)
                .build();
        assertEquals(start, StartRequest.from(overTheWire(start.toMap())));

        ScaleRequest scale = new ScaleRequest("api", "+2");
        assertEquals(scale, ScaleRequest.from(overTheWire(scale.toMap())));
        SignalRequest signal = new SignalRequest("SIGUSR2", target);
        assertEquals(signal, SignalRequest.from(overTheWire(signal.toMap())));
        StdinRequest stdin = new StdinRequest(3, "reload\n");
        assertEquals(stdin, StdinRequest.from(overTheWire(stdin.toMap())));
    }

    @Test
    void aReplyOfSummariesReadsBackOnTheClient() throws Exception {
        JsonArray reply = new JsonArray()
                .add(new JsonObject(new ProcessSummary(0, "api", "online", 1234).toMap()))
                .add(new JsonObject(new ProcessSummary(1, "api", "stopped", null).toMap()))
                .add(new JsonObject(
                        new ProcessSummary(2, "api", "stopped", null, List.of(), "pid 7 (sleep 9), killed", null)
                                .toMap()));
        Json.Value parsed = Json.parse(reply.encode().getBytes(StandardCharsets.UTF_8));
        assertEquals(
                List.of(
                        new ProcessSummary(0, "api", "online", 1234),
                        new ProcessSummary(1, "api", "stopped", null),
                        new ProcessSummary(2, "api", "stopped", null, List.of(), "pid 7 (sleep 9), killed", null)),
                Session.summaries(parsed));
    }

    @Test
    void aRequestMissingWhatItNeedsIsRefusedWithItsName() {
        assertEquals(
                "no process named: give an id, a name or all",
                assertThrows(JpmException.class, () -> TargetRequest.from(Map.of("cwd", "/")))
                        .getMessage());
        assertEquals(
                "start request has no cwd",
                assertThrows(JpmException.class, () -> StartRequest.from(Map.of("apps", List.of())))
                        .getMessage());
        assertThrows(JpmException.class, () -> StdinRequest.from(Map.of("pm_id", "api", "line", "x")));
    }
}
