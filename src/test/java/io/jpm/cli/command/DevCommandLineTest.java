package io.jpm.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.cli.CliException;
import io.jpm.protocol.StartRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** jpm-dev's command line: pm2-dev's switches taken out, the rest left for jpm start, and the watch given to the apps. */
class DevCommandLineTest {
    private static StartRequest script(Map<String, Object> app) {
        return StartRequest.builder().apps(List.of(app)).cwd("/p").build();
    }

    private static StartRequest file() {
        return StartRequest.builder().file("app.json").cwd("/p").build();
    }

    @Test
    void pm2DevsSwitchesAreTakenOutAndTheRestGoesToStart() {
        DevCommandLine words = DevCommandLine.parse(List.of(
                "start",
                "app.js",
                "--raw",
                "--timestamp",
                "--ignore",
                "tmp, logs",
                "--post-exec=npm test",
                "--silent-exec",
                "--auto-exit",
                "--node-args",
                "--inspect",
                "--name",
                "api",
                "--",
                "--raw"));
        assertEquals(List.of("app.js", "--node-args", "--inspect", "--name", "api", "--", "--raw"), words.start());
        assertTrue(words.raw() && words.timestamp() && words.silentExec() && words.autoExit());
        assertFalse(words.testMode());
        assertEquals(List.of("tmp", "logs"), words.ignore());
        assertEquals("npm test", words.postExec());
        assertEquals("tmp,logs,node_modules", words.ignored());
    }

    @Test
    void withoutIgnoreOnlyNodeModulesIsSaidToBeIgnored() {
        DevCommandLine words = DevCommandLine.parse(List.of("app.js"));
        assertNull(words.ignore());
        assertNull(words.postExec());
        assertEquals("node_modules", words.ignored());
    }

    @Test
    void aSwitchWithoutItsValueOrNoScriptIsRefused() {
        assertTrue(assertThrows(CliException.class, () -> DevCommandLine.parse(List.of("app.js", "--ignore")))
                .getMessage()
                .contains("--ignore expects"));
        assertTrue(
                assertThrows(CliException.class, () -> DevCommandLine.parse(List.of("app.js", "--post-exec", "--raw")))
                        .getMessage()
                        .contains("--post-exec expects"));
        assertTrue(assertThrows(CliException.class, () -> DevCommandLine.parse(List.of("--raw")))
                .getMessage()
                .startsWith("usage: jpm-dev"));
        assertTrue(DevCommandLine.parse(List.of("--help")).help());
    }

    @Test
    void aScriptWatchesItsFolderWithIgnoresPathsBesideItsOwn() {
        DevCommandLine words = DevCommandLine.parse(List.of("app.js", "--ignore", "tmp"));
        Map<?, ?> app = (Map<?, ?>) words.watching(script(Map.of("script", "app.js", "ignore_watch", List.of("dist"))))
                .apps()
                .get(0);
        assertEquals(true, app.get("watch"));
        assertEquals(List.of("dist", "tmp", "node_modules"), app.get("ignore_watch"));

        Map<?, ?> own = (Map<?, ?>) words.watching(script(Map.of("script", "app.js", "watch", List.of("src"))))
                .apps()
                .get(0);
        assertEquals(List.of("src"), own.get("watch"), "--watch=src given to jpm-dev is kept");
    }

    @Test
    void aFilesAppsGetTheWatchAndIgnoresPathsAsDefaults() {
        assertEquals(
                Map.of("watch", true),
                DevCommandLine.parse(List.of("app.json")).watching(file()).fileDefaults());
        assertEquals(
                Map.of("watch", true, "ignore_watch", List.of("tmp", "node_modules")),
                DevCommandLine.parse(List.of("app.json", "--ignore", "tmp"))
                        .watching(file())
                        .fileDefaults());
    }
}
