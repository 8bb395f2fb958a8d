package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.ActionRequest;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.StartRequest;
import io.jpm.protocol.TargetRequest;
import io.jpm.testkit.FakeLauncher.Spawn;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ecosystem files as God reads them: a file's apps started (--only, --env, append_env_to_name,
 * depends_on), then stopped, restarted and deleted by the file's name; a file's env read again on its
 * restart or reload (the CLI sends those of a file as a start request with that action); pm2's
 * immutable env unless --update-env; a bad file starts nothing. The env each run
 * gets is the fake launcher's record of its spawn. EcosystemIT keeps a YAML file watched for real.
 */
class FileAppsTest extends GodFixture {
    private String script;

    @BeforeEach
    void script() {
        script = god.app("any").getString("script");
    }

    /** web (env VAR dev, env_production VAR prod) and worker (VAR w, depends on web, append_env_to_name). */
    private Path file(String name) throws IOException {
        JsonObject web = new JsonObject()
                .put("name", "web")
                .put("script", script)
                .put("env", new JsonObject().put("VAR", "dev"))
                .put("env_production", new JsonObject().put("VAR", "prod"));
        JsonObject worker = new JsonObject()
                .put("name", "worker")
                .put("script", script)
                .put("dependsOn", new JsonArray().add("web"))
                .put("env", new JsonObject().put("VAR", "w"))
                .put("append_env_to_name", true);
        return write(name, new JsonObject().put("apps", new JsonArray().add(web).add(worker)));
    }

    private Path write(String name, JsonObject content) throws IOException {
        Path file = home.resolve(name);
        Files.writeString(file, content.encodePrettily());
        return file;
    }

    private List<String> names() {
        return god.jlist().stream().map(p -> p.getString("name")).sorted().toList();
    }

    /** The environment the app's last run was spawned with. */
    private Map<String, String> env(String app) {
        List<Spawn> spawns = launcher.spawnsOf(app);
        return spawns.get(spawns.size() - 1).env();
    }

    @Test
    void aFileStartsItsAppsThenStopsRestartsAndDeletesThemByItsName() throws IOException {
        Path file = file("eco.json");
        god.startFile(file, List.of("web"), "production", Map.of());
        god.awaitStatus("web", "online");
        assertEquals(List.of("web"), names(), "--only left worker out");
        assertEquals("prod", env("web").get("VAR"));

        god.startFile(file);
        god.awaitStatus("worker", "online");
        assertEquals(
                1, GodOnBus.restartTime(god.named("web").get(0)), "an app of the file that already runs is restarted");

        god.stop(file.toString());
        assertEquals("stopped", GodOnBus.status(god.named("web").get(0)));
        assertEquals("stopped", GodOnBus.status(god.named("worker").get(0)));
        god.startFile(file, List.of(), null, Map.of(), StartRequest.RESTART);
        assertEquals(1, GodOnBus.restartTime(god.awaitStatus("web", "online")), "a stopped app's start is not counted");
        god.awaitStatus("worker", "online");
        assertEquals(3, launcher.spawnsOf("web").size());
        god.delete(file.toString());
        assertTrue(god.jlist().isEmpty(), god.jlist().toString());
        assertEquals(List.of(), List.copyOf(launcher.alive()));
    }

    @Test
    void withoutEnvTheEnvBlockAppliesAndAppendEnvToNameDoesNot() throws IOException {
        god.startFile(file("all.json"), List.of("web", "worker"), null, Map.of());
        god.awaitStatus("web", "online");
        god.awaitStatus("worker", "online");
        assertEquals(List.of("web", "worker"), names());
        assertEquals("dev", env("web").get("VAR"));
        assertEquals("w", env("worker").get("VAR"));
    }

    @Test
    void envNameIsAppendedWhereAskedAndDependsOnStartsTheDependencyFirst() throws IOException {
        god.startFile(file("production.json"), List.of(), "production", Map.of());
        god.awaitStatus("worker-production", "online");
        assertEquals(List.of("web", "worker-production"), names());
        List<String> order = launcher.spawns().stream().map(Spawn::app).toList();
        assertEquals(List.of("web", "worker-production"), order);
    }

    @Test
    void onlyNamingAnAppTheFileDoesNotDeclareStartsNothing() throws IOException {
        Path file = file("unknown-only.json");
        ReplyException refused =
                assertThrows(ReplyException.class, () -> god.startFile(file, List.of("web", "nope"), null, Map.of()));
        assertTrue(refused.getMessage().contains(file + ": --only names 'nope'"), refused.getMessage());
        assertEquals(List.of(), names());
        assertEquals(List.of(), launcher.spawns());
    }

    @Test
    void aFileWithABadOptionStartsNothingAndNamesFileAppAndOption() throws IOException {
        Path file = write(
                "bad.json",
                new JsonObject()
                        .put(
                                "apps",
                                new JsonArray()
                                        .add(new JsonObject()
                                                .put("name", "good")
                                                .put("script", script))
                                        .add(new JsonObject()
                                                .put("name", "bad")
                                                .put("script", script)
                                                .put("maxRestarts", "many"))));
        ReplyException refused = assertThrows(ReplyException.class, () -> god.startFile(file));
        assertTrue(
                refused.getMessage().contains(file + ": app 'bad': option 'max_restarts' must be a whole number"),
                refused.getMessage());
        assertEquals(List.of(), names());
        assertEquals(List.of(), launcher.spawns());
    }

    @Test
    void restartKeepsTheEnvUnlessUpdateEnvIsGiven() {
        god.start(god.app("imm"), Map.of("JPM_CLIENT_VAR", "one"));
        god.awaitStatus("imm", "online");
        assertEquals("one", env("imm").get("JPM_CLIENT_VAR"));

        TargetRequest fromTwo = new TargetRequest(List.of("imm"), home.toString(), Map.of("JPM_CLIENT_VAR", "two"));
        god.act(Addresses.CMD_RESTART, ActionRequest.of(fromTwo));
        god.awaitStatus("imm", "online");
        assertEquals(2, launcher.spawnsOf("imm").size());
        assertEquals(
                "one",
                env("imm").get("JPM_CLIENT_VAR"),
                "pm2's immutable env: a restart keeps the env it started with");

        god.act(Addresses.CMD_RESTART, new ActionRequest(fromTwo, true, null, 0, ActionRequest.Watch.KEEP));
        god.awaitStatus("imm", "online");
        assertEquals(3, launcher.spawnsOf("imm").size());
        assertEquals("two", env("imm").get("JPM_CLIENT_VAR"));
    }

    @Test
    void restartOfAFileWithUpdateEnvOrEnvRereadsIt() throws IOException {
        Path file = file("restart.json");
        god.startFile(file, List.of("web"), null, Map.of("JPM_CLIENT_VAR", "one"));
        god.awaitStatus("web", "online");

        // pm2 reads a file's env again on reload and restart of the file (checked against pm2 7 in
        // DifferentialIT), and starts the file's apps that do not run
        god.startFile(file, List.of(), null, Map.of("JPM_CLIENT_VAR", "two"), StartRequest.RELOAD);
        god.awaitStatus("web", "online");
        assertEquals(2, launcher.spawnsOf("web").size());
        assertEquals("two", env("web").get("JPM_CLIENT_VAR"));
        assertEquals("dev", env("web").get("VAR"));
        god.awaitStatus("worker", "online");

        god.startFile(file, List.of(), "production", Map.of("JPM_CLIENT_VAR", "three"), StartRequest.RESTART);
        god.awaitStatus("web", "online");
        assertEquals(3, launcher.spawnsOf("web").size());
        assertEquals("three", env("web").get("JPM_CLIENT_VAR"));
        assertEquals("prod", env("web").get("VAR"));
    }
}
