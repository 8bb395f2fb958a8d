package io.jpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code jpm --help} and {@code jpm <verb> --help}: no daemon is asked, the text comes from the verbs' syntax. */
class MainTest {
    private static String run(String... argv) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = Main.run(List.of(argv), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(0, status, String.join(" ", argv));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyVerbHasHelpThatNamesIt() {
        for (String verb : Verbs.names()) {
            String help = run(verb, "--help");
            assertTrue(help.startsWith("usage: jpm "), verb + ": " + help);
            assertTrue(
                    help.lines().findFirst().orElseThrow().matches(".*[ |]" + Pattern.quote(verb) + "([ |].*)?"),
                    verb + ": " + help);
        }
    }

    @Test
    void thePm2VerbsUsersTypeAreAllThere() {
        for (String verb : List.of(
                "start",
                "stop",
                "restart",
                "reload",
                "delete",
                "del",
                "scale",
                "ls",
                "list",
                "status",
                "l",
                "ps",
                "jlist",
                "prettylist",
                "describe",
                "show",
                "desc",
                "info",
                "pid",
                "id",
                "env",
                "logs",
                "log",
                "flush",
                "reloadLogs",
                "save",
                "dump",
                "resurrect",
                "cleardump",
                "startOrReload",
                "startOrRestart",
                "startOrGracefulReload",
                "ecosystem",
                "init",
                "monit",
                "ping",
                "kill",
                "sendSignal",
                "events",
                "startup",
                "unstartup",
                "reset",
                "set",
                "unset",
                "get",
                "conf",
                "report",
                "serve",
                "expose",
                "send",
                "attach",
                "update",
                "updatePM2",
                "deploy",
                "completion")) {
            assertTrue(Verbs.names().contains(verb), verb);
        }
    }

    @Test
    void completionPrintsTheScriptOfTheShellNamedWithoutADaemon() {
        assertTrue(run("completion", "bash").contains("complete -o default -F _jpm jpm"));
        assertTrue(run("completion", "zsh").startsWith("#compdef jpm\n"));
        assertTrue(run("completion", "fish").contains("complete -c jpm -n __fish_use_subcommand"));
    }

    @Test
    void helpOfAVerbIsOnlyItsOwnEntry() {
        String id = run("id", "-h");
        assertTrue(id.contains("usage: jpm id <name>"), id);
        assertFalse(id.contains("--max-restarts"), "not start's entry: " + id);
        String stop = run("stop", "--help");
        assertTrue(stop.contains("--watch|-w"), stop);
        assertFalse(stop.contains("--update-env"), "restart's flag, not stop's: " + stop);
        assertFalse(stop.contains("jlist"), stop);
    }

    @Test
    void theUsageListsEveryVerbOnce() {
        String usage = run("--help");
        for (Command command : Verbs.all()) {
            String names = String.join("|", command.syntax().names());
            assertEquals(
                    1, usage.split("\n  " + Pattern.quote(names) + "[ \n]", -1).length - 1, names + " in " + usage);
        }
    }

    @Test
    void aHelpFlagAfterDoubleDashIsTheAppsNotJpms() {
        assertFalse(Main.help("start").isEmpty());
        // `jpm start app.js -- --help` passes --help to the app: it is not a help request (needs a daemon, so not run
        // here)
        assertTrue(Main.help("nosuchverb").contains("see jpm --help"));
    }
}
