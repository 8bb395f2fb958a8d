package io.jpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgsTest {
    private static final Map<String, String> VALUED =
            Args.spellings("--name|-n", "name", "--instances|-i", "instances", "--env", "env");
    private static final Map<String, String> SWITCHES =
            Args.spellings("--force|-f", "force", "--no-autorestart", "no-autorestart");

    private static Args parse(String... words) {
        return Args.parse("start", List.of(words), VALUED, SWITCHES);
    }

    @Test
    void spellingsMapEveryAliasToTheCanonicalName() {
        assertEquals(
                Map.of("--name", "name", "-n", "name", "--instances", "instances", "-i", "instances", "--env", "env"),
                VALUED);
    }

    @Test
    void flagFollowedByValue() {
        Args args = parse("app.js", "--name", "api");
        assertEquals(List.of("app.js"), args.positionals);
        assertEquals("api", args.get("name"));
        assertTrue(args.has("name"));
    }

    @Test
    void flagEqualsValue() {
        Args args = parse("--name=api", "app.js", "--env=production");
        assertEquals("api", args.get("name"));
        assertEquals("production", args.get("env"));
        assertEquals(List.of("app.js"), args.positionals);
    }

    @Test
    void flagEqualsValueKeepsLaterEqualsSigns() {
        assertEquals("a=b", parse("--name=a=b").get("name"));
        assertEquals("", parse("--name=").get("name"));
    }

    @Test
    void shortFlagWithValue() {
        Args args = parse("-i", "4", "app.js", "-n", "api");
        assertEquals("4", args.get("instances"));
        assertEquals("api", args.get("name"));
        assertEquals(List.of("app.js"), args.positionals);
    }

    @Test
    void switches() {
        Args args = parse("app.js", "-f", "--no-autorestart");
        assertEquals("true", args.get("force"));
        assertEquals("true", args.get("no-autorestart"));
        assertFalse(args.has("name"));
    }

    @Test
    void everythingAfterDoubleDashIsPassedThrough() {
        Args args = parse("app.js", "--name", "api", "--", "--port", "3000", "-v", "--", "--name", "x", "-2");
        assertEquals(List.of("--port", "3000", "-v", "--", "--name", "x", "-2"), args.passthrough);
        assertEquals("api", args.get("name"));
        assertEquals(List.of("app.js"), args.positionals);
    }

    @Test
    void negativeNumbersArePositionals() {
        Args args = parse("scale", "-2", "-10");
        assertEquals(List.of("scale", "-2", "-10"), args.positionals);
    }

    @Test
    void lonelyDashIsPositional() {
        assertEquals(List.of("-"), parse("-").positionals);
    }

    @Test
    void flagValueMayLookLikeANegativeNumber() {
        assertEquals("-1", parse("-i", "-1").get("instances"));
    }

    @Test
    void unknownOptionNamesTheFlagAndTheVerb() {
        CliException e = assertThrows(CliException.class, () -> parse("app.js", "--watch"));
        assertEquals(JpmError.INVALID_ARGUMENT, e.error);
        assertTrue(e.getMessage().contains("'--watch'"), e.getMessage());
        assertTrue(e.getMessage().contains("'start'"), e.getMessage());
    }

    @Test
    void unknownOptionWithInlineValueNamesOnlyTheFlag() {
        CliException e = assertThrows(CliException.class, () -> parse("--wat=1"));
        assertTrue(e.getMessage().contains("'--wat'"), e.getMessage());
        assertFalse(e.getMessage().contains("=1"), e.getMessage());
    }

    @Test
    void missingValue() {
        CliException e = assertThrows(CliException.class, () -> parse("app.js", "--name"));
        assertEquals(JpmError.INVALID_ARGUMENT, e.error);
        assertTrue(e.getMessage().contains("--name"), e.getMessage());
        assertTrue(e.getMessage().contains("needs a value"), e.getMessage());
        CliException shortFlag = assertThrows(CliException.class, () -> parse("-i"));
        assertTrue(shortFlag.getMessage().contains("-i"), shortFlag.getMessage());
    }

    @Test
    void expectPositionals() {
        Args args = parse("a", "b");
        assertEquals(args, args.expectPositionals("start", 1, 2, "<script>"));
        CliException e = assertThrows(CliException.class, () -> args.expectPositionals("stop", 1, 1, "<id|name|all>"));
        assertEquals("usage: jpm stop <id|name|all>", e.getMessage());
        assertThrows(CliException.class, () -> parse().expectPositionals("stop", 1, 1, "<id>"));
    }
}
