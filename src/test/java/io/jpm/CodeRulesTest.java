package io.jpm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The size rules of ../shared/STYLE.md and the brief, as tests: a rule kept by review alone came
 * back (docs/BENCHMARKS.md went from 298 lines to 470 in a day). Classes of at most 400 lines,
 * methods and constructors of at most 80 (a lambda's lines count to the method that holds it), and
 * docs/BENCHMARKS.md of at most 300 lines: current figures, not their history (git keeps that).
 */
class CodeRulesTest {
    private static final int CLASS_LINES = 400;
    private static final int METHOD_LINES = 80;
    private static final int BENCHMARKS_LINES = 300;

    private static final List<Path> SOURCES = new ArrayList<>();

    @BeforeAll
    static void listSources() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(SOURCES::add);
        }
    }

    @Test
    void noClassFileIsOver400Lines() throws IOException {
        List<String> over = new ArrayList<>();
        for (Path source : SOURCES) {
            long lines = Files.readAllLines(source).size();
            if (lines > CLASS_LINES) {
                over.add(source + ": " + lines + " lines");
            }
        }
        assertEquals(List.of(), over, "split these by what they do (at most " + CLASS_LINES + " lines)");
    }

    @Test
    void noMethodIsOver80Lines() throws IOException {
        List<String> over = new ArrayList<>();
        for (Path source : SOURCES) {
            for (MethodSpans.Span method : MethodSpans.of(Files.readString(source))) {
                if (method.lines() > METHOD_LINES) {
                    over.add(source + ":" + method.firstLine() + ": " + method.lines() + " lines");
                }
            }
        }
        assertEquals(List.of(), over, "split these (at most " + METHOD_LINES + " lines a method)");
    }

    /** Commands return their code, verticles never end the JVM: the ends that must happen elsewhere go through one class. */
    @Test
    void onlyProcessEndEndsTheJvm() throws IOException {
        List<String> ends = new ArrayList<>();
        for (Path source : SOURCES) {
            if (source.endsWith(Path.of("protocol", "ProcessEnd.java"))) {
                continue;
            }
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("System.exit(") || lines.get(i).contains("getRuntime().halt(")) {
                    ends.add(source + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertEquals(List.of(), ends, "end the JVM through protocol.ProcessEnd, with a code it lists");
    }

    @Test
    void benchmarksHoldsCurrentFiguresOnly() throws IOException {
        int lines = Files.readAllLines(Path.of("docs", "BENCHMARKS.md")).size();
        assertEquals(
                true,
                lines <= BENCHMARKS_LINES,
                "docs/BENCHMARKS.md has " + lines + " lines: at most " + BENCHMARKS_LINES
                        + ", the current figure of each target with its command and date (git keeps the older ones)");
    }
}
