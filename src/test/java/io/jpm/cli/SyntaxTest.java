package io.jpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The flag tables are the one source of both parsing and help: every flag a verb parses is in its
 * help, with the name the command reads it by, and nothing else parses.
 */
class SyntaxTest {
    /** Enough operands for the verb's minimum, none of them flags. */
    private static List<String> operands(Syntax syntax) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < syntax.min(); i++) {
            words.add("x" + i);
        }
        return words;
    }

    @Test
    void everyFlagAVerbParsesIsInItsHelp() {
        for (Command command : Verbs.all()) {
            Syntax syntax = command.syntax();
            String help = syntax.help();
            for (Flag flag : syntax.flags()) {
                assertTrue(
                        help.contains(flag.synopsis()),
                        syntax.verb() + " help lacks " + flag.synopsis() + ":\n" + help);
                assertTrue(
                        help.contains(flag.help().split(" ")[0]),
                        syntax.verb() + " help lacks what " + flag.synopsis() + " does");
                for (String spelling : flag.spellings()) {
                    List<String> words = operands(syntax);
                    words.add(spelling);
                    if (flag.takesValue() && !flag.valueOptional()) {
                        words.add("1");
                    }
                    Args args = syntax.parse(words);
                    assertTrue(args.has(flag.name()), syntax.verb() + " " + spelling + " is read as " + flag.name());
                }
            }
        }
    }

    @Test
    void aFlagNotInTheTableIsRefusedNamingItAndTheVerb() {
        for (Command command : Verbs.all()) {
            Syntax syntax = command.syntax();
            List<String> words = operands(syntax);
            words.add("--no-such-flag");
            CliException e = assertThrows(CliException.class, () -> syntax.parse(words), syntax.verb());
            assertEquals("unknown option '--no-such-flag' for '" + syntax.verb() + "'", e.getMessage());
        }
    }

    @Test
    void noSpellingMeansTwoThingsInOneVerb() {
        for (Command command : Verbs.all()) {
            Set<String> seen = new HashSet<>();
            for (Flag flag : command.syntax().flags()) {
                for (String spelling : flag.spellings()) {
                    assertTrue(seen.add(spelling), command.syntax().verb() + " declares " + spelling + " twice");
                }
            }
        }
    }

    @Test
    void aWrongOperandCountPrintsTheUsageLine() {
        Syntax scale = Syntax.of("scale").operands("<name> <N|+N|-N>", 2, 2).summary("s");
        CliException e = assertThrows(CliException.class, () -> scale.parse(List.of("api")));
        assertEquals("usage: jpm scale <name> <N|+N|-N>", e.getMessage());
        Syntax withFlags = scale.flag(Flag.toggle("--all", "all", "a"));
        assertEquals(
                "usage: jpm scale <name> <N|+N|-N> [options]",
                assertThrows(CliException.class, () -> withFlags.parse(List.of()))
                        .getMessage());
    }

    /** pm2 7.0.4's --watch [paths] (commander's optional value, collected), as run against pm2 itself. */
    @Test
    void watchTakesTheWordAfterItAsAPathAndAddsUpWhenGivenAgain() {
        Syntax start = Syntax.of("start")
                .operands("[script]", 0, Syntax.MANY)
                .summary("s")
                .flag(Flag.option("--watch", "watch", "[paths]", "w").repeating())
                .flag(Flag.option("--name", "name", "name", "n"));
        Args path = start.parse(List.of("q.js", "--name", "c", "--watch", "wdir"));
        assertEquals(List.of("q.js"), path.positionals);
        assertEquals("wdir", path.get("watch"));
        assertEquals(
                "true", start.parse(List.of("q.js", "--watch", "--name", "c")).get("watch"));
        Args beforeArgs = start.parse(List.of("q.js", "--watch", "--", "a", "b"));
        assertEquals("true", beforeArgs.get("watch"));
        assertEquals(List.of("a", "b"), beforeArgs.passthrough);
        // before the script, the script is the path (pm2 then finds no script either)
        assertEquals(List.of(), start.parse(List.of("--watch", "q.js")).positionals);
        assertEquals(
                "wdir,wdir2",
                start.parse(List.of("q.js", "--watch", "wdir", "--watch=wdir2")).get("watch"));
        assertEquals(
                "wdir",
                start.parse(List.of("q.js", "--watch", "--name", "c", "--watch", "wdir"))
                        .get("watch"));
        assertEquals(
                "c", start.parse(List.of("q.js", "--name", "b", "--name", "c")).get("name"), "the last counts");
        assertTrue(start.help().contains("--watch [paths]"), start.help());
    }

    @Test
    void anOptionalValueMayFollowAsTheNextWord() {
        Syntax logs = Syntax.of("logs")
                .operands("[name]", 0, 1)
                .summary("s")
                .flag(Flag.option("--timestamp", "timestamp", "[format]", "t"))
                .flag(Flag.toggle("--raw", "raw", "r"));
        assertEquals("HH:mm", logs.parse(List.of("api", "--timestamp", "HH:mm")).get("timestamp"));
        assertEquals(List.of("api"), logs.parse(List.of("api", "--timestamp", "HH:mm")).positionals);
        assertEquals("true", logs.parse(List.of("api", "--timestamp")).get("timestamp"));
        Args beforeAFlag = logs.parse(List.of("--timestamp", "--raw", "api"));
        assertEquals("true", beforeAFlag.get("timestamp"));
        assertEquals("true", beforeAFlag.get("raw"));
        assertEquals(List.of("api"), beforeAFlag.positionals);
        assertEquals("YYYY", logs.parse(List.of("--timestamp=YYYY")).get("timestamp"));
        assertTrue(logs.help().contains("--timestamp [format]"), logs.help());
    }

    @Test
    void helpWrapsLongDescriptionsUnderTheirColumn() {
        Syntax syntax = Syntax.of("x")
                .summary("s")
                .flag(Flag.toggle("--long", "long", "word ".repeat(40).trim()));
        for (String line : syntax.help().split("\n")) {
            assertTrue(line.length() <= 100, line);
        }
    }
}
