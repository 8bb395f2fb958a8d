package io.jpm.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.cli.CliException;
import io.jpm.config.AppConfigParser;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.OptionType;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI refuses a duration flag before the round trip: it must refuse exactly what the daemon
 * refuses, and the daemon must read what the CLI sends as it reads the same text in a file. The
 * bug: the CLI's own pattern refused {@code --kill-timeout 3S}, which a file may say.
 */
class DurationFormsTest {
    private static final Path IDLE =
            Path.of("src/test/resources/fixtures/idle.sh").toAbsolutePath();
    private static final List<String> FORMS = List.of(
            "1600",
            "0",
            "500ms",
            "3s",
            "3S",
            "250MS",
            " 3 s ",
            "1.5s",
            "2.5",
            "2m",
            "1h",
            "",
            "soon",
            "-5",
            "-5s",
            "3d",
            "s",
            "1.s",
            "3 seconds",
            "1s2",
            "ms");

    @TempDir
    Path dir;

    @Test
    void theCliAcceptsADurationExactlyWhenTheDaemonDoesAndMeansTheSameMilliseconds() {
        for (String form : FORMS) {
            assertEquals(daemonReads(form), cliSends(form), "--kill-timeout=" + form);
        }
    }

    /** Every duration flag, not only kill_timeout's: the grammar is the option's, declared once. */
    @Test
    void everyDurationFlagAcceptsWhatAFileMayGiveThatOption() {
        List<AppOption> durations = StartFlags.FLAGGED.stream()
                .filter(o -> o.type == OptionType.DURATION)
                .toList();
        assertTrue(durations.size() >= 6, durations.toString());
        for (AppOption option : durations) {
            for (String form : FORMS) {
                JsonObject inFile =
                        new JsonObject().put("script", IDLE.toString()).put(option.key, form);
                assertEquals(
                        accepted(inFile),
                        cliAccepts(option, form),
                        option.flag().firstSpelling() + "=" + form);
            }
        }
    }

    private boolean cliAccepts(AppOption option, String form) {
        try {
            JsonObject app = new JsonObject(StartOptions.changes(
                    StartCommand.SYNTAX.parse(List.of("app", option.flag().firstSpelling() + "=" + form))));
            return accepted(app.put("script", IDLE.toString()));
        } catch (CliException e) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean accepted(JsonObject app) {
        return !daemonReads(app).equals("refused");
    }

    /** The kill_timeout the daemon reads from the options the CLI sends; "refused" when the CLI refuses. */
    private String cliSends(String form) {
        try {
            JsonObject app = new JsonObject(
                    StartOptions.changes(StartCommand.SYNTAX.parse(List.of("app", "--kill-timeout=" + form))));
            return daemonReads(app.put("script", IDLE.toString()));
        } catch (CliException e) {
            return "refused";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The kill_timeout the daemon reads when a file gives this text; "refused" when it refuses it. */
    private String daemonReads(String form) {
        return daemonReads(new JsonObject().put("script", IDLE.toString()).put("kill_timeout", form));
    }

    private String daemonReads(JsonObject app) {
        try {
            return Long.toString(new AppConfigParser("test", dir, System.getenv())
                    .parse(app, null)
                    .policy()
                    .killTimeoutMs());
        } catch (JpmException e) {
            return "refused";
        }
    }
}
