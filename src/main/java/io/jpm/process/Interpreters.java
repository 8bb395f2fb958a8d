package io.jpm.process;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Chooses how to run a script when no interpreter is given, like pm2: by its extension. */
public final class Interpreters {
    private Interpreters() {}

    /** Means "execute the script directly" (pm2's {@code --interpreter none}). */
    public static final String NONE = "none";

    private static final Map<String, List<String>> BY_EXTENSION = Map.of(
            ".js", List.of("node"),
            ".mjs", List.of("node"),
            ".cjs", List.of("node"),
            ".py", List.of("python3"),
            ".sh", List.of("bash"),
            ".rb", List.of("ruby"),
            ".pl", List.of("perl"),
            ".php", List.of("php"),
            ".jar", List.of("java", "-jar"),
            ".java", List.of("java"));

    /** The interpreter command for a script path, empty for direct execution. */
    public static List<String> forScript(String script) {
        String lower = script.toLowerCase(Locale.ROOT);
        int dot = lower.lastIndexOf('.');
        if (dot < 0 || dot < lower.lastIndexOf('/')) {
            return List.of();
        }
        return BY_EXTENSION.getOrDefault(lower.substring(dot), List.of());
    }

    /**
     * The interpreter command for an explicit {@code interpreter} option; {@code none} means direct.
     * A jar run by java needs {@code -jar}.
     */
    public static List<String> explicit(String interpreter, String script) {
        if (interpreter == null || interpreter.isBlank()) {
            return forScript(script);
        }
        if (NONE.equals(interpreter)) {
            return List.of();
        }
        if (interpreter.endsWith("java") && script.endsWith(".jar")) {
            return List.of(interpreter, "-jar");
        }
        return List.of(interpreter);
    }
}
