package io.jpm.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jpm.cli.CliException;
import io.jpm.protocol.JpmError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
    @TempDir
    Path dir;

    private ServeCommand.Plan plan(Map<String, String> shell, String... words) {
        return ServeCommand.plan(ServeCommand.SYNTAX.parse(List.of(words)), shell, dir);
    }

    private String refused(String... words) {
        CliException e = assertThrows(CliException.class, () -> plan(Map.of(), words));
        assertEquals(JpmError.INVALID_ARGUMENT, e.error);
        return e.getMessage();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(ServeCommand.Plan plan) {
        return (Map<String, Object>) plan.app().get("env");
    }

    @Test
    void defaultsAreTheCurrentFolderAndPort8080AsPm2s() {
        ServeCommand.Plan plan = plan(Map.of());
        assertEquals("static-page-server-8080", plan.name());
        assertEquals(dir, plan.path());
        assertEquals("serve", plan.app().get("script"));
        assertEquals(dir.toString(), plan.app().get("cwd"));
        assertEquals(
                Map.of(
                        "PM2_SERVE_PORT",
                        "8080",
                        "PM2_SERVE_PATH",
                        dir.toString(),
                        "PM2_SERVE_SPA",
                        "false",
                        "PM2_SERVE_FTP",
                        "false"),
                env(plan));
    }

    @Test
    void pathPortAndOptionsBecomePm2sVariables() throws IOException {
        Files.createDirectories(dir.resolve("site"));
        ServeCommand.Plan plan = plan(
                Map.of(),
                "site",
                "9000",
                "--spa",
                "--ftp",
                "--basic-auth-username",
                "ann",
                "--basic-auth-password",
                "pw",
                "--name",
                "web",
                "--host",
                "0.0.0.0");
        assertEquals("web", plan.name());
        assertEquals(dir.resolve("site"), plan.path());
        assertEquals(
                Map.of(
                        "PM2_SERVE_PORT",
                        "9000",
                        "PM2_SERVE_PATH",
                        dir.resolve("site").toString(),
                        "PM2_SERVE_SPA",
                        "true",
                        "PM2_SERVE_FTP",
                        "true",
                        "PM2_SERVE_BASIC_AUTH",
                        "true",
                        "PM2_SERVE_BASIC_AUTH_USERNAME",
                        "ann",
                        "PM2_SERVE_BASIC_AUTH_PASSWORD",
                        "pw",
                        "PM2_SERVE_HOST",
                        "0.0.0.0"),
                env(plan));
    }

    @Test
    void thePortComesFromTheShellThenTheArgumentThenPortFlag() {
        assertEquals("7000", plan(Map.of(), ".", "7000", "--port", "7001").port());
        assertEquals("7001", plan(Map.of(), "--port", "7001").port());
        assertEquals("7002", plan(Map.of("PM2_SERVE_PORT", "7002"), ".", "7000").port());
        assertEquals(
                "static-page-server-7002",
                plan(Map.of("PM2_SERVE_PORT", "7002")).name());
        assertEquals("80", plan(Map.of(), ".", "080").port(), "the port as a number, as in the app's name");
    }

    @Test
    void theShellsPathWinsAsInPm2() throws IOException {
        Path other = Files.createDirectories(dir.resolve("other"));
        assertEquals(
                other,
                plan(Map.of("PM2_SERVE_PATH", other.toString()), "ignored").path());
    }

    @Test
    void badInputIsOneLineNamingTheProblem() throws IOException {
        assertEquals("serve: the port must be a number from 1 to 65535, got 'abc'", refused(".", "abc"));
        assertEquals("serve: the port must be a number from 1 to 65535, got '0'", refused(".", "0"));
        assertEquals("serve: the port must be a number from 1 to 65535, got '65536'", refused("--port", "65536"));
        assertEquals("serve: " + dir.resolve("missing") + " does not exist", refused("missing"));
        Files.writeString(dir.resolve("file.txt"), "x");
        assertEquals("serve: " + dir.resolve("file.txt") + " is not a folder", refused("file.txt"));
        assertEquals(
                "serve: basic auth needs both --basic-auth-username and --basic-auth-password",
                refused("--basic-auth-username", "ann"));
        assertEquals(
                "serve: basic auth needs both --basic-auth-username and --basic-auth-password",
                refused("--basic-auth-password", "pw"));
        assertEquals("unknown option '--watch' for 'serve'", refused("--watch"));
        assertEquals("option --port needs a value", refused("--port"));
        assertEquals("usage: jpm serve [path] [port] [options]", refused(".", "80", "extra"));
        assertFalse(refused("--monitor", "app").isEmpty());
    }
}
