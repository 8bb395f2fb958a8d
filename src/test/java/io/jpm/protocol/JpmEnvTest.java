package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code JPM_*} variable is declared once, in {@link JpmEnv}, and read through it: 29 of them
 * were read in 33 places, 6 undocumented. A variable a user sets is in docs/CONFIG.md's table (and
 * so the man page's), one jpm sets for its own processes in docs/ARCHITECTURE.md, and the keeper's
 * script and the Node preloads name none that is not declared.
 */
class JpmEnvTest {
    /** A variable's name; NODE_JPM_... are the preloads' message names, not variables. */
    private static final Pattern NAME = Pattern.compile("(?<![A-Z_])JPM_[A-Z][A-Z_0-9]*");

    private static final Pattern LITERAL = Pattern.compile("\"JPM_[A-Z_0-9]+\"|getenv\\(\"JPM_");

    @Test
    void noOtherClassNamesOrReadsAJpmVariable() throws IOException {
        List<String> found;
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            found = files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("JpmEnv.java"))
                    .flatMap(f -> matches(f, LITERAL).stream().map(m -> f + ": " + m))
                    .toList();
        }
        assertEquals(List.of(), found, "name the variable through protocol.JpmEnv");
    }

    @Test
    void everyVariableAUserSetsIsInConfigsTableAndEveryOneThereIsDeclared() throws IOException {
        String config = Files.readString(Path.of("docs", "CONFIG.md"));
        int start = config.indexOf("## The daemon's own settings (environment)");
        assertTrue(start >= 0, "docs/CONFIG.md lost its environment table");
        // the table's rows: its first column names the variables (the others may name them again)
        Set<String> documented = new TreeSet<>();
        for (String row : config.substring(start).split("\n")) {
            if (row.startsWith("| `")) {
                documented.addAll(names(row.split(" \\| ")[0]));
            }
        }
        Set<String> declared =
                JpmEnv.forUsersAll().stream().map(v -> v.variable).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, documented, "protocol.JpmEnv's variables for users against docs/CONFIG.md's table");
    }

    @Test
    void everyVariableJpmSetsForItsOwnProcessesIsInArchitecture() throws IOException {
        Set<String> described = names(Files.readString(Path.of("docs", "ARCHITECTURE.md")));
        Set<String> missing = Arrays.stream(JpmEnv.values())
                .filter(v -> !v.forUsers())
                .map(v -> v.variable)
                .filter(v -> !described.contains(v))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), missing, "not in docs/ARCHITECTURE.md");
    }

    @Test
    void theKeeperAndThePreloadsNameOnlyDeclaredVariables() throws IOException {
        Set<String> declared =
                Arrays.stream(JpmEnv.values()).map(v -> v.variable).collect(Collectors.toSet());
        Set<String> unknown = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "resources", "io", "jpm"))) {
            for (Path file : files.filter(
                            f -> f.toString().endsWith(".pl") || f.toString().endsWith(".js"))
                    .toList()) {
                for (String name : names(Files.readString(file))) {
                    if (!declared.contains(name)) {
                        unknown.add(file.getFileName() + ": " + name);
                    }
                }
            }
        }
        assertEquals(Set.of(), unknown, "declare them in protocol.JpmEnv");
    }

    private static Set<String> names(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    private static List<String> matches(Path file, Pattern pattern) {
        try {
            Matcher m = pattern.matcher(Files.readString(file));
            List<String> all = new ArrayList<>();
            while (m.find()) {
                all.add(m.group());
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
