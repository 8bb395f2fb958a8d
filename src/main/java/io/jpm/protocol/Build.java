package io.jpm.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Which build of jpm this is: the version, the git commit it was built from ("none" outside a git
 * checkout) and when it was built, recorded by Maven in {@code build.properties} next to this class.
 * Two builds of the same SNAPSHOT version differ in {@code built}, so a CLI can tell that the daemon
 * it talks to came from another build (daemon.json's {@code build}, the ping's {@code build}).
 * Run from classes Maven did not filter, every field reads "dev".
 */
public record Build(String version, String commit, String built) {
    private static final String UNKNOWN = "dev";

    /** Read at first use only: a command that does not ask pays nothing for it. */
    private static final class Current {
        static final Build BUILD = read();
    }

    /** This jar's build. */
    public static Build current() {
        return Current.BUILD;
    }

    /**
     * The same build: version, commit and time. Not the record's {@code equals}, which is bootstrapped
     * through method handles at its first call (about 7 ms of every CLI command that checks).
     */
    public boolean sameAs(Build other) {
        return version.equals(other.version) && commit.equals(other.commit) && built.equals(other.built);
    }

    /** {@code 0.1.0-SNAPSHOT (commit 28d3ab1c2f4e, built 2026-11-24T17:40:12Z)}. */
    public String describe() {
        return version + " (commit " + commit + ", built " + built + ")";
    }

    /** The build as daemon.json and the ping carry it: {"version":..,"commit":..,"built":..}. */
    public Map<String, Object> toMap() {
        return Map.of("version", version, "commit", commit, "built", built);
    }

    /** A build read back from {@link #toMap}; fields it lacks (an older daemon's) read "unknown". */
    public static Build fromMap(Map<?, ?> map) {
        return new Build(field(map, "version"), field(map, "commit"), field(map, "built"));
    }

    /**
     * This jar's path and modification time ({@code /opt/jpm/lib/jpm.jar@1795321555130}), null when run
     * from classes: a CLI whose jar has the stamp its daemon recorded runs the same build without
     * reading {@code build.properties} (a stat, where reading the resource costs ~3 ms of a command).
     */
    public static String jarStamp() {
        try {
            Path jar = Path.of(Build.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return Files.isRegularFile(jar)
                    ? jar + "@" + Files.getLastModifiedTime(jar).toMillis()
                    : null;
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static String field(Map<?, ?> map, String key) {
        Object value = map == null ? null : map.get(key);
        return value == null ? "unknown" : value.toString();
    }

    private static Build read() {
        Properties properties = new Properties();
        try (InputStream in = Build.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // unreadable: the build is unknown, which "dev" says
        }
        return new Build(value(properties, "version"), value(properties, "commit"), value(properties, "built"));
    }

    /** A placeholder Maven left (run from sources it did not filter) reads as "dev". */
    private static String value(Properties properties, String key) {
        String value = properties.getProperty(key, "").trim();
        return value.isEmpty() || value.contains("${") ? UNKNOWN : value;
    }
}
