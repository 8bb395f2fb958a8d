package io.jpm.cli.help;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.protocol.Build;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The man page and the completion scripts against the verbs' Syntax tables: every verb,
 * alias and flag is in each, bash completes them for real, the page renders without a warning,
 * and zsh and fish read their scripts where those shells are installed.
 */
class ReleaseDocsTest {
    private static final Build BUILD = new Build("1.2.3", "abc", "2026-01-02T03:04:05Z");

    @TempDir
    Path dir;

    @Test
    void releaseDocsWritesTheFourFilesWhole() throws IOException {
        ReleaseDocs.write(dir.resolve("out"));
        Map<String, String> expected = ReleaseDocs.files(Build.current());
        assertEquals(
                List.of("man/jpm.1", "completion/jpm.bash", "completion/_jpm", "completion/jpm.fish"),
                List.copyOf(expected.keySet()));
        for (Map.Entry<String, String> file : expected.entrySet()) {
            assertEquals(file.getValue(), Files.readString(dir.resolve("out").resolve(file.getKey())), file.getKey());
        }
        try (Stream<Path> all = Files.walk(dir.resolve("out"))) {
            assertEquals(4, all.filter(Files::isRegularFile).count(), "no temporary file left");
        }
    }

    @Test
    void everyVerbAliasAndFlagIsInTheManPage() {
        String man = ManPage.text(BUILD);
        for (Syntax syntax : VerbWords.syntaxes()) {
            String section = section(man, syntax);
            for (Flag flag : syntax.flags()) {
                assertTrue(
                        section.contains("\"" + ManPage.escape(String.join(", ", flag.spellings()))),
                        syntax.verb() + " " + flag.spellings());
                assertTrue(section.contains(ManPage.escape(flag.help())), syntax.verb() + " " + flag.spellings());
            }
            for (String note : syntax.notes()) {
                assertTrue(section.contains(ManPage.escape(note.strip())), syntax.verb() + ": " + note);
            }
        }
        for (String heading :
                List.of("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "ENVIRONMENT", "FILES", "SEE ALSO")) {
            assertTrue(man.contains("\n.SH " + heading + "\n"), heading);
        }
    }

    /** The verb's own part of the page: from its {@code .SS} heading, which names every alias, to the next. */
    private static String section(String man, Syntax syntax) {
        String heading = "\n.SS \"" + ManPage.escape(String.join(" | ", syntax.names())) + "\"\n";
        int start = man.indexOf(heading);
        assertTrue(start >= 0, "no section for " + syntax.names());
        int end = man.indexOf("\n.S", start + heading.length());
        return man.substring(start, end < 0 ? man.length() : end);
    }

    @Test
    void theManPageRendersWithoutAWarning() throws IOException {
        assumeTrue(ShellRun.installed("groff"), "groff is not installed");
        Path page = dir.resolve("jpm.1");
        Files.writeString(page, ManPage.text(Build.current()), StandardCharsets.UTF_8);
        ShellRun run = ShellRun.of(List.of("groff", "-man", "-ww", "-z", page.toString()), Map.of(), dir);
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err());
    }

    @Test
    void everyVariableOfConfigMdIsInTheManPage() throws IOException {
        String config = Files.readString(Path.of("docs/CONFIG.md"), StandardCharsets.UTF_8);
        int start = config.indexOf("## The daemon's own settings (environment)");
        assertTrue(start >= 0, "docs/CONFIG.md lost its environment table");
        String table = config.substring(
                start, config.indexOf("\n## ", start + 1) < 0 ? config.length() : config.indexOf("\n## ", start + 1));
        Set<String> documented = new TreeSet<>();
        for (String row : table.lines().filter(l -> l.startsWith("| `")).toList()) {
            Matcher name = Pattern.compile("`((?:JPM|PM2)_[A-Z0-9_]+)`").matcher(row.split("\\|")[1]);
            while (name.find()) {
                documented.add(name.group(1));
            }
        }
        assertTrue(documented.size() > 10, documented.toString());
        String environment = ManPage.text(BUILD).split("\n.SH ENVIRONMENT\n")[1].split("\n.SH ")[0];
        for (String variable : documented) {
            assertTrue(environment.contains(variable), variable + " is in docs/CONFIG.md but not in the man page");
        }
    }

    @Test
    void bashCompletesEveryVerbAndEveryFlagOfTheVerbTyped() throws IOException {
        Path script = dir.resolve("jpm.bash");
        Files.writeString(script, BashCompletion.script("test"), StandardCharsets.UTF_8);
        StringBuilder probe = new StringBuilder("source " + script + "\n");
        probe.append("COMP_WORDS=(jpm ''); COMP_CWORD=1; _jpm; echo \"verbs: ${COMPREPLY[*]}\"\n");
        List<Syntax> syntaxes = VerbWords.syntaxes();
        for (Syntax syntax : syntaxes) {
            for (String name : syntax.names()) {
                probe.append("COMP_WORDS=(jpm ")
                        .append(name)
                        .append(" -); COMP_CWORD=2; _jpm; echo \"")
                        .append(name)
                        .append(": ${COMPREPLY[*]}\"\n");
            }
        }
        probe.append("COMP_WORDS=(jpm res); COMP_CWORD=1; _jpm; echo \"res: ${COMPREPLY[*]}\"\n");
        ShellRun run = ShellRun.of(List.of("bash", "--norc", "--noprofile", "-c", probe.toString()), Map.of(), dir);
        assertEquals("", run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(new TreeSet<>(VerbWords.allNames()), words(lines.get(0), "verbs: "));
        int line = 1;
        for (Syntax syntax : syntaxes) {
            Set<String> expected = new TreeSet<>(VerbWords.spellings(syntax).stream()
                    .filter(s -> s.startsWith("-"))
                    .toList());
            for (String name : syntax.names()) {
                assertEquals(expected, words(lines.get(line++), name + ": "), name);
            }
        }
        assertEquals(new TreeSet<>(List.of("reset", "restart", "resurrect")), words(lines.get(line), "res: "));
    }

    @Test
    void bashCompletesAppNamesFromTheDaemonAfterAVerbThatTakesApps() throws IOException {
        Path script = dir.resolve("jpm.bash");
        Files.writeString(script, BashCompletion.script("test"), StandardCharsets.UTF_8);
        // a jpm that answers the hidden verb as a daemon with app "api" (pm_id 0) would
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("jpm"), "#!/bin/sh\n[ \"$1\" = " + AppNames.VERB + " ] && printf 'api\\n0\\n'\n");
        bin.resolve("jpm").toFile().setExecutable(true);
        String probe = "source " + script + "\n"
                + "COMP_WORDS=(jpm restart ''); COMP_CWORD=2; _jpm; echo \"${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(jpm logs a); COMP_CWORD=2; _jpm; echo \"${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(jpm jlist ''); COMP_CWORD=2; _jpm; echo \"${COMPREPLY[*]}\"\n";
        ShellRun run = ShellRun.of(
                List.of("bash", "--norc", "--noprofile", "-c", probe),
                Map.of("PATH", bin + ":" + System.getenv("PATH")),
                dir);
        assertEquals(List.of("api 0", "api", ""), run.out().lines().toList(), run.err());
    }

    @Test
    void zshAndFishScriptsNameEveryVerbAndFlagAndParse() throws IOException {
        String zsh = ZshCompletion.script("test");
        String fish = FishCompletion.script("test");
        for (Syntax syntax : VerbWords.syntaxes()) {
            for (String name : syntax.names()) {
                assertTrue(zsh.contains("'" + name.replace(":", "\\:") + ":"), "zsh: " + name);
                assertTrue(fish.contains("-a '" + name + "' "), "fish: " + name);
            }
            for (Flag flag : syntax.flags()) {
                for (String spelling : flag.spellings()) {
                    assertTrue(zsh.contains("'" + spelling + ":"), "zsh: " + syntax.verb() + " " + spelling);
                    String fishOption = spelling.startsWith("--")
                            ? "-l '" + spelling.substring(2) + "'"
                            : (spelling.length() == 2 ? "-s '" : "-o '") + spelling.substring(1) + "'";
                    assertTrue(fish.contains(fishOption), "fish: " + syntax.verb() + " " + spelling);
                }
            }
        }
        for (String shell : List.of("zsh", "fish")) {
            if (ShellRun.installed(shell)) {
                Path script = dir.resolve("script." + shell);
                Files.writeString(script, shell.equals("zsh") ? zsh : fish, StandardCharsets.UTF_8);
                ShellRun run = ShellRun.of(List.of(shell, "-n", script.toString()), Map.of(), dir);
                assertEquals(0, run.exit(), shell + ": " + run.err());
            }
        }
    }

    @Test
    void fishCompletesFlagsOfTheVerbTyped() throws IOException {
        assumeTrue(ShellRun.installed("fish"), "fish is not installed");
        Path script = dir.resolve("jpm.fish");
        Files.writeString(script, FishCompletion.script("test"), StandardCharsets.UTF_8);
        ShellRun run = ShellRun.of(
                List.of(
                        "fish",
                        "--no-config",
                        "-c",
                        "source " + script + "; complete -C 'jpm res'; complete -C 'jpm start --na'"),
                Map.of(),
                dir);
        List<String> words = new ArrayList<>();
        for (String line : run.out().lines().toList()) {
            words.add(line.split("\t")[0]);
        }
        assertEquals(
                new HashSet<>(List.of("reset", "restart", "resurrect", "--name", "--namespace")),
                new HashSet<>(words),
                run.err());
    }

    private static Set<String> words(String line, String prefix) {
        assertTrue(line.startsWith(prefix), line);
        String rest = line.substring(prefix.length()).strip();
        return rest.isEmpty() ? new TreeSet<>() : new TreeSet<>(List.of(rest.split(" ")));
    }
}
