package io.jpm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.deploy.DeployCommandLine.Action;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The words after {@code jpm deploy}, pm2's way, and one-line refusals of what pm2 silently ignores. */
class DeployCommandLineTest {
    private static DeployCommandLine parse(String... words) {
        return DeployCommandLine.parse(List.of(words));
    }

    private static String refused(String... words) {
        String message = assertThrows(DeployException.class, () -> parse(words)).getMessage();
        assertEquals(1, message.lines().count(), message);
        return message;
    }

    @Test
    void aFileNameComesFirstElseTheEnvironment() {
        assertEquals(
                new DeployCommandLine("ecosystem.json", "production", Action.UPDATE, null, false),
                parse("ecosystem.json", "production"));
        assertEquals(new DeployCommandLine(null, "production", Action.UPDATE, null, false), parse("production"));
        assertEquals(
                new DeployCommandLine("deploy.config.js", "staging", Action.SETUP, null, false),
                parse("deploy.config.js", "staging", "setup"));
        assertEquals(
                new DeployCommandLine("eco.yaml", "production", Action.UPDATE, null, false),
                parse("eco.yaml", "production", "update"));
    }

    @Test
    void everyCommandAndItsArgument() {
        assertEquals(Action.CURR, parse("production", "curr").action());
        assertEquals(Action.CURR, parse("production", "current").action());
        assertEquals(Action.PREV, parse("production", "prev").action());
        assertEquals(Action.PREV, parse("production", "previous").action());
        assertEquals(Action.LIST, parse("production", "list").action());
        assertEquals(
                new DeployCommandLine(null, "production", Action.REVERT, "1", false), parse("production", "revert"));
        assertEquals(
                new DeployCommandLine(null, "production", Action.REVERT, "3", false),
                parse("production", "revert", "3"));
        assertEquals(
                new DeployCommandLine(null, "production", Action.UPDATE, "origin/next", false),
                parse("production", "ref", "origin/next"));
        assertEquals(Action.HELP, parse("help").action());
    }

    @Test
    void execTakesEverythingAfterItFlagsIncluded() {
        assertEquals(
                new DeployCommandLine("e.json", "production", Action.EXEC, "jpm reload all", false),
                parse("e.json", "production", "exec", "jpm reload all"));
        assertEquals(
                new DeployCommandLine(null, "production", Action.EXEC, "ls -la --force", false),
                parse("production", "run", "ls", "-la", "--force"));
        assertEquals(
                new DeployCommandLine(null, "production", Action.EXEC, "ls", true),
                parse("--force", "production", "exec", "ls"));
    }

    @Test
    void forceAnywhereBeforeTheCommand() {
        assertTrue(parse("production", "--force").force());
        assertTrue(parse("--force", "ecosystem.json", "production").force());
        assertTrue(parse("production", "ref", "v2", "-f").force());
    }

    @Test
    void badCommandLinesAreRefusedWithOneLine() {
        assertTrue(refused().contains("name the environment"));
        assertTrue(refused("ecosystem.json").contains("name the environment"));
        assertTrue(refused("production", "updat").contains("unknown deploy command 'updat'"));
        assertTrue(refused("production", "revert", "x")
                .contains("revert expects how many deploys back (1 or more), got 'x'"));
        assertTrue(refused("production", "revert", "0").contains("got '0'"));
        assertTrue(refused("production", "revert", "1", "2").contains("revert takes one number"));
        assertTrue(refused("production", "exec").contains("exec needs the command"));
        assertTrue(refused("production", "ref").contains("ref needs one ref"));
        assertTrue(refused("production", "list", "all").contains("list takes no argument, got 'all'"));
        assertTrue(refused("production", "--hard").contains("unknown option '--hard' for 'deploy'"));
        // a ref git would read as an option, named as the ref it was given as
        assertTrue(refused("production", "ref", "--upload-pack=touch /tmp/x")
                .startsWith("deploy ref must not start with '-'"));
        assertTrue(refused("production", "ref", "origin/-x").startsWith("deploy ref must not start with '-'"));
    }
}
