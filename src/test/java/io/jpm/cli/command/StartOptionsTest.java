package io.jpm.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jpm.cli.CliException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Start flags turned into an app's options through each option's declaration: a switch, a
 * {@code --no-} switch, a value read with its option's grammar, and the refusals the CLI prints
 * (BadInputIT checks the same lines through bin/jpm).
 */
class StartOptionsTest {
    private static Map<String, Object> options(String... words) throws IOException {
        return StartOptions.changes(StartCommand.SYNTAX.parse(List.of(words)));
    }

    private static String refusal(String... words) {
        return assertThrows(CliException.class, () -> options(words)).getMessage();
    }

    @Test
    void eachFlagGivesItsOptionAsAFileWould() throws IOException {
        Map<String, Object> app = options(
                "app",
                "--no-autorestart",
                "--wait-ready",
                "-k",
                "3S",
                "--max-restarts",
                "4",
                "-i",
                "max",
                "--stop-exit-codes",
                "0,3",
                "--watch=src,lib",
                "--filter-env",
                "-l",
                "--",
                "x");
        assertEquals(false, app.get("autorestart"));
        assertEquals(true, app.get("wait_ready"));
        assertEquals("3S", app.get("kill_timeout"));
        assertEquals(4L, app.get("max_restarts"));
        assertEquals("max", app.get("instances"));
        assertEquals(List.of(0L, 3L), app.get("stop_exit_codes"));
        assertEquals(List.of("src", "lib"), app.get("watch"));
        assertEquals(true, app.get("filter_env"));
        assertEquals(true, app.get("log_file"));
        assertEquals(List.of("x"), app.get("args"));
        assertEquals(1600L, options("app", "--kill-timeout", "1600").get("kill_timeout"));
        assertEquals(
                Path.of(System.getProperty("user.dir"), "out.log").toString(),
                options("app", "-o", "out.log").get("out_file"));
        assertEquals(-1L, options("app", "-i", "-1").get("instances"));
    }

    @Test
    void aValueItsOptionCannotTakeIsRefusedNamingTheFlag() {
        assertEquals("-i expects a number or max, got 'lots'", refusal("app", "-i", "lots"));
        assertEquals("--max-restarts expects a whole number, got '-3'", refusal("app", "--max-restarts", "-3"));
        assertEquals(
                "--kill-timeout expects a duration like 1000, 500ms or 3s, got 'soon'",
                refusal("app", "--kill-timeout", "soon"));
        assertEquals(
                "--watch-delay expects a duration like 1000, 500ms or 3s, got 'soon'",
                refusal("app", "--watch-delay", "soon"));
        assertEquals("--stop-exit-codes expects a whole number, got 'x'", refusal("app", "--stop-exit-codes", "1,x"));
        assertEquals("--port expects a whole number, got 'eighty'", refusal("app", "--port", "eighty"));
    }
}
