package io.jpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code jpm <verb> --help}: no daemon is asked, the verb's own part of the usage is printed. */
class MainTest {
  private static String run(String... argv) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status = Main.run(List.of(argv), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals(0, status, String.join(" ", argv));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyVerbHasHelpThatNamesIt() {
    for (String verb : List.of("start", "stop", "restart", "reload", "delete", "del", "scale", "ls", "ps", "jlist",
        "prettylist", "describe", "info", "pid", "id", "env", "logs", "log", "flush", "reloadLogs", "save", "dump",
        "resurrect", "cleardump", "startOrReload", "startOrRestart", "startOrGracefulReload", "ecosystem", "init",
        "monit", "ping", "kill", "sendSignal", "events", "startup", "unstartup", "reset", "set", "unset", "get", "report")) {
      String help = run(verb, "--help");
      assertTrue(help.startsWith("usage:\n"), verb + ": " + help);
      assertTrue(help.matches("(?s).*[ |]" + verb + "[ |].*"), verb + ": " + help);
    }
  }

  @Test
  void helpOfAVerbIsOnlyItsOwnEntry() {
    String id = run("id", "-h");
    assertTrue(id.contains("id <name>"), id);
    assertFalse(id.contains("--max-restarts"), "not start's entry, which mentions id in its arguments: " + id);
    String stop = run("stop", "--help");
    assertTrue(stop.contains("stop: [--watch]"), stop);
    assertFalse(stop.contains("jlist"), stop);
  }

  @Test
  void aHelpFlagAfterDoubleDashIsTheAppsNotJpms() {
    assertFalse(Main.help("start").isEmpty());
    // `jpm start app.js -- --help` passes --help to the app: it is not a help request (needs a daemon, so not run here)
    assertTrue(Main.help("nosuchverb").contains("see jpm --help"));
  }
}
