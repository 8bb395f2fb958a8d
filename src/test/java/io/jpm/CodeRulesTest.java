package io.jpm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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

    /**
     * Where ProcessEnd is called from other than a {@code main} method, each with why that end cannot
     * go back to its main: a new caller fails {@link #onlyMainCallsProcessEnd} until it returns its
     * code (a command), throws to its main (a start-up step), or is added here with its reason.
     */
    private static final Map<String, String> ENDS_OUTSIDE_MAIN = Map.of(
            "DaemonMain.start",
            "a failed start: the daemon's main thread serves the first pump from before the start runs",
            "DaemonMain.exitOnPurpose",
            "jpm kill, or the foreground jpm gone: main's thread is the first pump for the daemon's life",
            "DaemonMain.leaveForUpdate",
            "jpm update: halted (the shutdown hook would stop the apps), from a thread, main's being the pump",
            "DaemonMain.endForAFailedJoin",
            "a cluster join that failed after the start (a daemon its keeper started again): halted as a crash,"
                    + " from the join's callback, main's thread being the pump",
            "HangWatch.exit",
            "a hung daemon: halted from a thread of its own and a timer, whatever the hung threads hold",
            "RuntimeCommand.onShutdown",
            "a shutdown hook that ends with jpm-runtime's own status: it halts, the JVM's exit is under way",
            "DaemonArchive.followDaemon",
            "the daemon's end stops a recording main's thread is blocked in; the exit runs the hook that stops"
                    + " the training daemon, as SIGTERM does");

    /** jbang's rule: commands return or throw, and only a main (or a listed end) ends the JVM. */
    @Test
    void onlyMainCallsProcessEnd() throws IOException {
        List<String> callers = new ArrayList<>();
        for (Path source : SOURCES) {
            List<String> lines = Files.readAllLines(source);
            List<MethodSpans.Span> methods = MethodSpans.of(String.join("\n", lines));
            String type = source.getFileName().toString().replace(".java", "");
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("import static io.jpm.protocol.ProcessEnd")) {
                    callers.add(source + ":" + (i + 1) + ": a static import hides the calls from this rule");
                }
                if (!lines.get(i).matches(".*\\bProcessEnd\\.(exit|halt)\\(.*")) {
                    continue;
                }
                int line = i + 1;
                String method = methods.stream()
                        .filter(m -> m.holds(line))
                        .min(Comparator.comparingInt(MethodSpans.Span::lines))
                        .map(MethodSpans.Span::name)
                        .orElse("");
                if (!method.equals("main") && !ENDS_OUTSIDE_MAIN.containsKey(type + "." + method)) {
                    callers.add(source + ":" + line + " (" + method + "): "
                            + lines.get(i).trim());
                }
            }
        }
        assertEquals(List.of(), callers, "return the exit code or throw to main; or list the end in ENDS_OUTSIDE_MAIN");
    }

    /** Each listed end is still there: a list that outlives its callers would let a new one in unseen. */
    @Test
    void everyListedEndOutsideMainExists() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path source : SOURCES) {
            String text = Files.readString(source);
            String type = source.getFileName().toString().replace(".java", "");
            List<String> lines = List.of(text.split("\n", -1));
            for (MethodSpans.Span m : MethodSpans.of(text)) {
                String body = String.join("\n", lines.subList(m.firstLine() - 1, m.firstLine() - 1 + m.lines()));
                if (body.matches("(?s).*\\bProcessEnd\\.(exit|halt)\\(.*")) {
                    found.add(type + "." + m.name());
                }
            }
        }
        List<String> gone = ENDS_OUTSIDE_MAIN.keySet().stream()
                .filter(end -> !found.contains(end))
                .sorted()
                .toList();
        assertEquals(List.of(), gone, "remove these from ENDS_OUTSIDE_MAIN: they no longer end the JVM");
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
