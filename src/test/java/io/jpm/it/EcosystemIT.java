package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ecosystem files through the CLI with real processes: a YAML file started with --env and watched,
 * --only naming an unknown app, --update-env sending the client's environment. What God makes of a
 * file (--only, --env, depends_on, append_env_to_name, a bad option, its env on restart) is tested
 * over the bus in god/FileAppsTest.
 */
@ExtendWith(JpmExtension.class)
class EcosystemIT {
    private static final String APP = Jpm.fixture("envapp.sh").toString();

    private static Path file(Jpm jpm, String name) throws IOException {
        Path file = jpm.write(
                name,
                "{\"apps\":["
                        + "{\"name\":\"web\",\"script\":\"" + APP
                        + "\",\"env\":{\"VAR\":\"dev\"},\"env_production\":{\"VAR\":\"prod\"}},"
                        + "{\"name\":\"worker\",\"script\":\"" + APP
                        + "\",\"dependsOn\":[\"web\"],\"env\":{\"VAR\":\"w\"},"
                        + "\"append_env_to_name\":true}]}");
        return file;
    }

    @Test
    void aYamlFileStartsAndIsWatchedLikeAJsonOne(Jpm jpm) throws IOException {
        Path file = jpm.write(
                "ecosystem.yml",
                "apps:\n  - name: yml\n    script: " + APP + "\n    env:\n      VAR: dev\n"
                        + "    env_production:\n      VAR: prod\n");
        jpm.ok("start", file.toString(), "--env", "production");
        int pid = jpm.pidOf("yml");
        assertEquals("prod", Jpm.environ(pid, "VAR"));
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            Files.writeString(
                    file,
                    "apps:\n  - name: yml\n    script: " + APP + "\n    env:\n      VAR: dev\n"
                            + "    env_production:\n      VAR: prod2\n");
            assertEquals("yml", events.applied(file).getJsonArray("changed").getString(0));
        }
        int again = Jpm.await("yml restarted", () -> {
            JsonObject p = jpm.named("yml").get(0);
            return "online".equals(Jpm.status(p)) && p.getInteger("pid") != pid ? p.getInteger("pid") : null;
        });
        assertEquals("prod2", Jpm.environ(again, "VAR"));
        jpm.ok("delete", file.toString());
        assertEquals(List.of(), jpm.names());
    }

    /**
     * A file's apps get their pm_ids in the file's order, a balanced app first in the file
     * too (its port opens over the bus, and the next app used to take the ids before it).
     */
    @Test
    void theAppsOfAFileAreNumberedInTheFilesOrder(Jpm jpm) throws IOException {
        jpm.ok("start", APP, "--name", "before");
        Path file = jpm.ecosystem(
                "order.json",
                Jpm.app("web", Jpm.fixture("hello_server.py"))
                        .put("instances", 2)
                        .put("port", Ports.free())
                        .put("balance", "http"),
                Jpm.app("api", Path.of(APP)).put("instances", 2));
        jpm.ok("start", file.toString());
        List<String> byId = new ArrayList<>();
        jpm.jlist().stream()
                .map(o -> (JsonObject) o)
                .sorted(Comparator.comparing(p -> p.getInteger("pm_id")))
                .forEach(p -> byId.add(p.getInteger("pm_id") + " " + p.getString("name")));
        assertEquals(List.of("0 before", "1 web", "2 web", "3 api", "4 api"), byId);
    }

    @Test
    void onlyNamingAnAppTheFileDoesNotDeclareStartsNothing(Jpm jpm) throws IOException {
        Path file = file(jpm, "unknown-only.json");
        Jpm.Result result = jpm.cli("start", file.toString(), "--only", "web,nope");
        assertEquals(1, result.exit(), result.toString());
        assertTrue(result.err().contains(file + ": --only names 'nope'"), result.err());
        assertEquals(List.of(), jpm.names());
    }

    @Test
    void restartKeepsTheEnvUnlessUpdateEnvIsGiven(Jpm jpm) {
        jpm.cli(Map.of("JPM_CLIENT_VAR", "one"), "start", APP, "--name", "imm");
        int first = jpm.pidOf("imm");
        assertEquals("one", Jpm.environ(first, "JPM_CLIENT_VAR"));

        assertEquals(
                0, jpm.cli(Map.of("JPM_CLIENT_VAR", "two"), "restart", "imm").exit());
        int second = Jpm.await("imm restarted", () -> {
            JsonObject p = jpm.named("imm").get(0);
            return "online".equals(Jpm.status(p)) && p.getInteger("pid") != first ? p.getInteger("pid") : null;
        });
        assertEquals(
                "one",
                Jpm.environ(second, "JPM_CLIENT_VAR"),
                "pm2's immutable env: a restart keeps the env it started with");

        Jpm.Result updated = jpm.cli(Map.of("JPM_CLIENT_VAR", "two"), "restart", "imm", "--update-env");
        assertEquals(0, updated.exit(), updated.toString());
        int third = Jpm.await("imm restarted again", () -> {
            JsonObject p = jpm.named("imm").get(0);
            return "online".equals(Jpm.status(p)) && p.getInteger("pid") != second ? p.getInteger("pid") : null;
        });
        assertEquals("two", Jpm.environ(third, "JPM_CLIENT_VAR"));
    }

    /**
     * An app whose cwd is not a folder does not stop its file's other apps, as under pm2 (which lists
     * it online with no process): jpm lists it errored, says why naming the file, the app and the
     * option, and exits 1; once the folder is there, a restart runs it.
     */
    @Test
    void anAppWhoseCwdIsMissingIsErroredAndTheFilesOtherAppsStart(Jpm jpm) throws IOException {
        Path missing = jpm.home.resolveSibling(jpm.home.getFileName() + "-missing");
        Path file = jpm.ecosystem(
                "cwd.json",
                Jpm.app("first", Path.of(APP)),
                Jpm.app("gone", Path.of(APP)).put("cwd", missing.toString()),
                Jpm.app("last", Path.of(APP)));
        Jpm.Result start = jpm.cli("start", file.toString());
        assertEquals(1, start.exit(), start.toString());
        assertTrue(
                start.err().contains(file + ": app 'gone': option 'cwd' is not a folder: " + missing),
                start.toString());
        assertTrue(start.err().contains("Process failed to launch gone"), start.toString());
        assertEquals(List.of("first", "gone", "last"), jpm.names());
        jpm.awaitStatus("first", "online");
        jpm.awaitStatus("last", "online");
        jpm.awaitStatus("gone", "errored");
        try {
            Files.createDirectories(missing);
            jpm.ok("restart", "gone");
            assertEquals(missing, Path.of("/proc/" + jpm.pidOf("gone") + "/cwd").toRealPath());
        } finally {
            Files.deleteIfExists(missing);
        }
    }
}
