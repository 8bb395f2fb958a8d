package io.jpm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.protocol.ProcessState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A status word ("online", "errored", ...) is written in one place, {@link ProcessState}: every other
 * class compares and writes statuses through the enum, so a word cannot drift between the daemon,
 * the dump and its readers (pm2 assigns its status strings in nine places). Checked on the sources,
 * string literals only (comments and text that merely contains a word are not statuses).
 */
class StatusWordsTest {
    private static final Path SOURCES = Path.of("src/main/java/io/jpm");
    private static final Path OWNER = Path.of("protocol/ProcessState.java");

    /** A literal that is a field's name, not its value: {@code put("stopped", n)}, {@code path("stopped")}. */
    private static final Pattern KEY_BEFORE = Pattern.compile("\\b(put|path|get\\w*|list|containsKey|remove)\\(\\s*$");

    /** Files where one of the words means something else, with what. */
    private static final Map<Path, Set<String>> OTHER_MEANING = Map.of(
            // the verb's past tense in its confirmation line ("[jpm] stopped api")
            Path.of("cli/command/StopCommand.java"), Set.of("stopped"));

    @Test
    void noStatusWordIsSpelledOutsideProcessState() throws IOException {
        Set<String> words = Set.copyOf(
                Stream.of(ProcessState.values()).map(ProcessState::word).toList());
        List<String> spelled = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(file);
                if (relative.equals(OWNER)) {
                    continue;
                }
                String text = Files.readString(file);
                for (Literal literal : literals(text)) {
                    if (words.contains(literal.value)
                            && !KEY_BEFORE
                                    .matcher(text.substring(Math.max(0, literal.start - 40), literal.start))
                                    .find()
                            && !OTHER_MEANING.getOrDefault(relative, Set.of()).contains(literal.value)) {
                        spelled.add(relative + ":" + line(text, literal.start) + " \"" + literal.value + "\"");
                    }
                }
            }
        }
        assertEquals(List.of(), spelled, "status words outside ProcessState (use ProcessState.X.word() or .is())");
    }

    private record Literal(int start, String value) {}

    /** The string literals of a Java source, outside comments (escapes left as written). */
    private static List<Literal> literals(String text) {
        List<Literal> literals = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("//", i)) {
                i = end(text, text.indexOf('\n', i));
            } else if (text.startsWith("/*", i)) {
                i = end(text, text.indexOf("*/", i + 2)) + 2;
            } else if (text.startsWith("\"\"\"", i)) {
                i = end(text, text.indexOf("\"\"\"", i + 3)) + 3;
            } else if (text.charAt(i) == '\'') {
                i = text.charAt(i + 1) == '\\' ? text.indexOf('\'', i + 3) + 1 : i + 3;
            } else if (text.charAt(i) == '"') {
                int close = i + 1;
                while (text.charAt(close) != '"') {
                    close += text.charAt(close) == '\\' ? 2 : 1;
                }
                literals.add(new Literal(i, text.substring(i + 1, close)));
                i = close + 1;
            } else {
                i++;
            }
        }
        return literals;
    }

    private static int end(String text, int found) {
        return found < 0 ? text.length() : found;
    }

    private static int line(String text, int at) {
        return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }
}
