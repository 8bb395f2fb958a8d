package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * jpm needs Java 17 or later, and a newer java runs its client and its daemon as well: the daemon's
 * flags are the ones that JDK takes (cli.transport.DaemonJvm), so it starts, runs an app, and writes
 * no JVM warning into daemon.log. Before, JDK 25 refused {@code -XX:-UseNotificationThread} and no
 * daemon started. Runs on the newest JDK 23+ under /usr/lib/jvm (this kind of machine has Temurin's
 * beside the default one), on a copy of the jar so the class archives it records stay its own.
 */
class NewerJdkIT {
    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

    @Test
    void aNewerJavaStartsTheDaemonAndRunsAnApp() throws Exception {
        Optional<Path> java = newestJava(23);
        Assumptions.assumeTrue(java.isPresent(), "no JDK 23 or later under /usr/lib/jvm");
        Path dir = Files.createTempDirectory("jpm-newer-jdk-it-");
        Path jar = Files.copy(Jpm.JAR, dir.resolve("jpm.jar"));
        Path home = dir.resolve("home");
        try {
            assertTrue(client(java.get(), jar, home, "ping").contains("pong"));
            String started = client(
                    java.get(), jar, home, "start", Jpm.fixture("idle.sh").toString(), "--name", "a");
            assertTrue(started.contains("online"), started);
            List<String> jvmSaid = Files.readAllLines(home.resolve("daemon.log")).stream()
                    .filter(l ->
                            l.startsWith("WARNING:") || l.contains("Unrecognized VM option") || l.startsWith("Error:"))
                    .toList();
            assertEquals(List.of(), jvmSaid, "the JVM warned in daemon.log");
        } finally {
            client(java.get(), jar, home, "kill");
            // the daemon archive's recording, started by the first daemon start, ends on its own
            Jpm.await(
                    "the archive's recording over",
                    Duration.ofSeconds(120),
                    () -> Files.exists(dir.resolve("jpm-daemon-lock")) ? null : true);
        }
    }

    /** The java of the newest JDK of at least this feature release under /usr/lib/jvm, by its release file. */
    private static Optional<Path> newestJava(int atLeast) throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin/java")))
                    .filter(h -> feature(h) >= atLeast)
                    .max(Comparator.comparingInt(NewerJdkIT::feature))
                    .map(h -> h.resolve("bin/java"));
        }
    }

    private static int feature(Path jdk) {
        try {
            Matcher m = VERSION.matcher(Files.readString(jdk.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static String client(Path java, Path jar, Path home, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", jar.toString(), "io.jpm.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JPM_HOME", home.toString());
        builder.environment().remove("JPM_DAEMON_OPTS");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "jpm " + String.join(" ", args) + " finished");
        assertEquals(0, process.exitValue(), out);
        return out;
    }
}
