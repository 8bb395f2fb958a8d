package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.Build;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The build a user can ask for and the warning about a daemon of another build: jpm -v
 * prints the packaged jar's version; daemon.json, the ping (jpm report) and daemon.log's ready line
 * name the daemon's build, jlist's rows its version; a CLI from a copy of the jar whose build differs (as after an upgrade)
 * says so in one line on stderr and points at jpm update, and the daemon's own build says nothing.
 * The completion scripts' app names come from the running daemon, and from no daemon nothing.
 */
@ExtendWith(JpmExtension.class)
class OtherBuildIT {
    private static final String PROPERTIES = "/io/jpm/protocol/build.properties";

    /** The jar's own build, as Maven recorded it. */
    private static Build jarBuild() throws IOException {
        try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + Jpm.JAR.toUri()), Map.of())) {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(jar.getPath(PROPERTIES), StandardCharsets.UTF_8)));
            return new Build(p.getProperty("version"), p.getProperty("commit"), p.getProperty("built"));
        }
    }

    /** A copy of jpm.jar built "at another time": its build.properties says so, the classes are the same. */
    private static Path otherBuildJar(Path folder) throws IOException {
        Path copy = folder.resolve("jpm-other.jar");
        Files.copy(Jpm.JAR, copy, StandardCopyOption.REPLACE_EXISTING);
        try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + copy.toUri()), Map.of())) {
            Path properties = jar.getPath(PROPERTIES);
            String text = Files.readString(properties, StandardCharsets.UTF_8)
                    .replaceAll("(?m)^built=.*$", "built=2001-02-03T04:05:06Z");
            Files.writeString(properties, text, StandardCharsets.UTF_8);
        }
        return copy;
    }

    @Test
    void aCliOfAnotherBuildSaysSoInOneLineAndTheSameBuildSaysNothing(Jpm jpm) throws IOException {
        Build own = jarBuild();
        assertEquals(own.version(), jpm.ok("-v").out().strip(), "jpm -v prints the packaged jar's version");
        assertFalse(own.version().equals("dev") || own.built().contains("${"), own.toString());

        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "quiet");
        Jpm.Result same = jpm.ok("ls");
        assertFalse(same.err().contains("jpm update"), "the same build says nothing: " + same);
        assertTrue(
                jpm.readLog(jpm.home.resolve("daemon.log").toString()).contains("ready (jpm " + own.describe() + ")"));
        assertEquals(
                own.version(), jpm.named("quiet").get(0).getJsonObject("jpm").getString("jpm_version"));
        Jpm.Result report = jpm.ok("report");
        assertTrue(report.out().contains("jpmd build           : " + own.describe()), report.out());

        ProcessBuilder other =
                new ProcessBuilder(Jpm.JAVA, "-cp", otherBuildJar(jpm.scratch).toString(), "io.jpm.cli.Main", "ls");
        other.environment().put("JPM_HOME", jpm.home.toString());
        Jpm.Result result = Jpm.run(other, jpm.scratch, "jpm ls from another build");
        assertEquals(0, result.exit(), result.toString());
        List<String> lines = result.err().lines().toList();
        int pid = Integer.parseInt(Files.readString(jpm.home.resolve("jpm.pid")).strip());
        assertEquals(
                List.of("[jpm] the daemon (pid " + pid + ") runs jpm " + own.describe() + ", this jpm is "
                        + own.version() + " (commit " + own.commit() + ", built 2001-02-03T04:05:06Z)"
                        + ": run jpm update to hand the apps to this build's daemon"),
                lines,
                result.toString());
        assertTrue(result.out().contains("quiet"), "the command runs on: " + result);
    }

    @Test
    void completionGetsTheRunningDaemonsAppsAndStartsNone(Jpm jpm) throws IOException {
        Path fresh = jpm.scratch.resolve("home-without-daemon");
        Jpm.Result none = jpm.cli(Map.of("JPM_HOME", fresh.toString()), "__complete-apps");
        assertEquals(0, none.exit(), none.toString());
        assertEquals("", none.out() + none.err(), "no daemon: nothing, and none started");
        assertFalse(Files.exists(fresh.resolve("daemon.json")), "a Tab started a daemon");

        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "tabbed");
        jpm.awaitStatus("tabbed", "online");
        Jpm.Result apps = jpm.ok("__complete-apps");
        String id = String.valueOf(jpm.named("tabbed").get(0).getInteger("pm_id"));
        assertEquals(List.of("tabbed", id), apps.out().lines().toList(), apps.toString());
    }
}
