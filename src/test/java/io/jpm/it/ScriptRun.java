package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of bin/'s scripts that runs until stopped (jpm-dev, jpm-runtime), run as a user runs it
 * against a test's JPM_HOME, its stdout and stderr in files read while it runs.
 */
record ScriptRun(Process process, Path script, Path out, Path err) {
    /**
     * Starts {@code script words...} in {@code dir}, with JPM_HOME and JPM_TEST_DIR of {@code jpm}
     * and {@code env} over them (an empty value: that variable unset).
     */
    static ScriptRun start(Jpm jpm, Path dir, Map<String, String> env, Path script, String... words)
            throws IOException {
        // as a terminal's shell starts its foreground job: SIGINT (Ctrl-C) and SIGQUIT at their defaults.
        // A JVM keeps a SIGINT its parent ignored, and whoever started this test's JVM in the background
        // of a script (`cmd &`: bash ignores both there) would otherwise leave jpm-dev deaf to a Ctrl-C
        // that no terminal could fail to deliver
        return start(jpm, dir, env, List.of("env", "--default-signal=INT,QUIT"), script, words);
    }

    /**
     * As {@link #start}, the way a script's background job starts ({@code cmd &}): SIGINT and SIGQUIT
     * ignored, which a JVM keeps unless its launcher resets them.
     */
    static ScriptRun startAsBackgroundJob(Jpm jpm, Path dir, Map<String, String> env, Path script, String... words)
            throws IOException {
        return start(jpm, dir, env, List.of("sh", "-c", "trap '' INT QUIT; exec \"$@\"", "sh"), script, words);
    }

    private static ScriptRun start(
            Jpm jpm, Path dir, Map<String, String> env, List<String> prefix, Path script, String... words)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(script.toString());
        command.addAll(List.of(words));
        Path out = Files.createTempFile(jpm.scratch, "run-out", ".txt");
        Path err = Files.createTempFile(jpm.scratch, "run-err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("JPM_HOME", jpm.home.toString());
        builder.environment().put("JPM_TEST_DIR", jpm.scratch.toString());
        builder.environment().putAll(env);
        builder.environment().values().removeIf(String::isEmpty);
        return new ScriptRun(jpm.ended(builder.start()), script, out, err);
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return read(err);
    }

    int awaitExit() throws InterruptedException {
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            String ignored = ignoredSignals();
            process.destroyForcibly();
            throw new AssertionError(
                    script.getFileName() + " did not exit within 90 s\n" + stdout() + stderr() + ignored);
        }
        return process.exitValue();
    }

    /**
     * The signals the script's process ignores (/proc's SigIgn mask), for a run that did not end: one
     * that ignores SIGINT (bit 2, mask 0x2) never saw a Ctrl-C.
     */
    private String ignoredSignals() {
        try {
            return "\n--- "
                    + Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                            .filter(line -> line.startsWith("SigIgn:"))
                            .findFirst()
                            .orElse("SigIgn: unknown");
        } catch (IOException e) {
            return "\n--- SigIgn: unknown (" + e.getMessage() + ")";
        }
    }

    /** Sends signal {@code name} ("INT", "TERM") to the script's process. */
    void signal(String name) throws Exception {
        assertEquals(
                0,
                new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                        .start()
                        .waitFor());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
