package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JPM_HOME another user made first, or one others may write, was adopted
 * (the daemon only chmodded it), so whoever made it held the tokens; links planted for daemon.log
 * and app logs were followed. Each test has a home of its own; the tests run as root, so "another
 * user" is nobody (uid 65534), made the owner with chown.
 */
class HomeTrustIT {
    private static final int NOBODY = 65534;

    private static void chown(Path path, int uid) throws IOException {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    }

    private static Path folder(Path dir, String mode) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        return dir;
    }

    private static void assertOneLineRefusal(Jpm.Result result, String expected) {
        assertNotEquals(0, result.exit(), result.toString());
        assertTrue(result.err().contains(expected), result.toString());
        assertEquals(1, result.err().strip().lines().count(), result.toString());
    }

    /** After the spawn's line, the daemon's refusal as the command's one line of error. */
    private static void assertRefusedAtStart(Jpm.Result result, String expected) {
        assertNotEquals(0, result.exit(), result.toString());
        List<String> lines = result.err().strip().lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("jpm: " + expected), result.toString());
        assertTrue(
                lines.stream().allMatch(l -> l.startsWith("[jpm] Spawning") || l.startsWith("jpm: ")),
                result.toString());
    }

    /** The daemon run by hand (not through the CLI), in {@code home}: its exit code and what it printed, within 30 s. */
    private static Jpm.Result daemonIn(Path home) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(
                        Jpm.JAVA, "-Djpm.exitWithStdin=true", "-cp", Jpm.JAR.toString(), "io.jpm.daemon.DaemonMain")
                .redirectErrorStream(true);
        builder.environment().put("JPM_HOME", home.toString());
        Process daemon = builder.start();
        try {
            boolean ended = daemon.waitFor(30, TimeUnit.SECONDS);
            assertTrue(ended, "the daemon did not refuse " + home + ": it ran on");
            return new Jpm.Result(
                    daemon.exitValue(), "", new String(daemon.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            daemon.getOutputStream().close(); // a daemon that ran (the bug) stops when its stdin ends
            if (!daemon.waitFor(70, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
    }

    @Test
    void aHomeAnotherUserMadeFirstIsRefusedByTheCliAndNothingIsWrittenInIt() throws IOException {
        try (Jpm jpm = new Jpm()) {
            folder(jpm.home, "rwxr-xr-x");
            chown(jpm.home, NOBODY);
            assertOneLineRefusal(
                    jpm.cli("ls"),
                    "JPM_HOME " + jpm.home
                            + " is owned by uid 65534, not by you (uid 0): remove it or choose another JPM_HOME");
            try (var files = Files.list(jpm.home)) {
                assertEquals(List.of(), files.toList(), "nothing written in another user's home");
            }
            assertEquals(NOBODY, Files.getAttribute(jpm.home, "unix:uid"));
        }
    }

    @Test
    void aHomeAnotherUserMadeFirstIsRefusedByTheDaemon() throws Exception {
        Path home = folder(Files.createTempDirectory("jpm-it-").resolve("home"), "rwxr-xr-x");
        chown(home, NOBODY);
        Jpm.Result daemon = daemonIn(home);
        assertNotEquals(0, daemon.exit(), daemon.toString());
        assertTrue(daemon.err().contains("is owned by uid 65534, not by you (uid 0)"), daemon.toString());
        assertFalse(Files.exists(home.resolve("token")), "no token written in another user's home");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)), "left as it was");
    }

    @Test
    void aHomeItsGroupOrOthersMayWriteIsRefusedByTheCliAndTheDaemon() throws Exception {
        try (Jpm jpm = new Jpm()) {
            folder(jpm.home, "rwxrwx---");
            assertOneLineRefusal(
                    jpm.cli("ls"), "JPM_HOME " + jpm.home + " is writable by its group or others (mode 0770)");
            Jpm.Result daemon = daemonIn(jpm.home);
            assertNotEquals(0, daemon.exit(), daemon.toString());
            assertTrue(daemon.err().contains("is writable by its group or others (mode 0770)"), daemon.toString());
            assertFalse(Files.exists(jpm.home.resolve("token")));
        }
    }

    @Test
    void aHomeThatIsASymbolicLinkIsRefused() throws IOException {
        try (Jpm jpm = new Jpm()) {
            Path real = folder(jpm.scratch.resolve("real-home"), "rwx------");
            Files.createSymbolicLink(jpm.home, real);
            assertOneLineRefusal(jpm.cli("ls"), "JPM_HOME " + jpm.home + " is a symbolic link (to " + real + ")");
        }
    }

    /** {@code <link>/.} named the link's target, which passed the link check; {@code ..} after a link misleads. */
    @Test
    void aHomeNamedThroughALinkAndADotIsRefused() throws IOException {
        try (Jpm jpm = new Jpm()) {
            Path real = folder(jpm.scratch.resolve("real-home"), "rwx------");
            Files.createSymbolicLink(jpm.home, real);
            assertOneLineRefusal(
                    jpm.cli(Map.of("JPM_HOME", jpm.home + "/."), "ls"),
                    "JPM_HOME " + jpm.home + " is a symbolic link (to " + real + ")");
            assertOneLineRefusal(
                    jpm.cli(Map.of("JPM_HOME", jpm.home + "/../home"), "ls"),
                    "JPM_HOME " + jpm.home + "/../home has '.' or '..' in it");
            try (var files = Files.list(real)) {
                assertEquals(List.of(), files.toList(), "nothing written through the link");
            }
        }
    }

    /** What the daemon refuses at its start is said on the client's line, not "see daemon.log" alone. */
    @Test
    void aDaemonThatRefusesItsStartSaysWhyOnTheClientsLine() throws IOException {
        try (Jpm jpm = new Jpm()) {
            folder(jpm.home, "rwx------");
            chown(folder(jpm.home.resolve("logs"), "rwx------"), NOBODY);
            assertRefusedAtStart(
                    jpm.cli("ls"),
                    "the daemon exited at start (code 1): JPM_HOME's folder " + jpm.home.resolve("logs")
                            + " is owned by uid 65534, not by you (uid 0)");
        }
        try (Jpm jpm = new Jpm()) {
            Path planted = folder(jpm.home.resolve("jpm.sock"), "rwx------");
            Files.writeString(planted.resolve("x"), "");
            Files.setPosixFilePermissions(jpm.home, PosixFilePermissions.fromString("rwx------"));
            assertRefusedAtStart(
                    jpm.cli("ls"),
                    "the daemon exited at start (code 1): " + planted + ": a folder that is not empty is in the way");
        }
    }

    @Test
    void aPlantedDaemonLogLinkIsNeverFollowed() throws IOException {
        try (Jpm jpm = new Jpm()) {
            folder(jpm.home, "rwx------");
            Path victim = Files.writeString(jpm.scratch.resolve("victim"), "untouched\n");
            Files.createSymbolicLink(jpm.home.resolve("daemon.log"), victim);
            assertOneLineRefusal(
                    jpm.cli("ls"), jpm.home.resolve("daemon.log") + " cannot be opened without following a link");
            assertEquals("untouched\n", Files.readString(victim));
        }
    }

    @Test
    void aPlantedTokenOrTokenLinkIsNeverAdopted() throws IOException {
        try (Jpm jpm = new Jpm()) {
            folder(jpm.home, "rwx------");
            Path token = Files.writeString(jpm.home.resolve("token"), "planted-admin-token\n");
            chown(token, NOBODY);
            Path known = Files.writeString(jpm.scratch.resolve("known"), "planted-readonly-token\n");
            Files.createSymbolicLink(jpm.home.resolve("token.readonly"), known);
            jpm.ok("ls");
            for (Path file : List.of(token, jpm.home.resolve("token.readonly"))) {
                assertTrue(
                        Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS), file + " is a file of the daemon's now");
                assertEquals(0, Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS), file.toString());
                assertFalse(Files.readString(file).startsWith("planted"), file + " was adopted");
            }
            assertEquals("planted-readonly-token\n", Files.readString(known), "the link's target is never written");
            String log = Files.readString(jpm.home.resolve("daemon.log"));
            assertTrue(
                    log.contains(
                            token
                                    + " is owned by uid 65534, not by you (uid 0): jpm does not use it; replaced by a new token"),
                    log);
        }
    }

    @Test
    void aPlantedLinkForAnAppLogInsideTheHomeIsNeverFollowed() throws IOException {
        try (Jpm jpm = new Jpm()) {
            Path script = Files.writeString(
                    jpm.scratch.resolve("talk.sh"), "#!/bin/sh\necho to-stdout\necho to-stderr >&2\nexec sleep 600\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            jpm.ok("ls"); // the daemon makes the home and its logs folder
            Path victim = Files.writeString(jpm.scratch.resolve("victim"), "untouched\n");
            Files.createSymbolicLink(jpm.home.resolve("logs").resolve("talk-out.log"), victim);
            jpm.ok("start", script.toString(), "--name", "talk");
            Path errors = jpm.home.resolve("logs").resolve("talk-error.log");
            // the app's stderr line reached its own file: its stdout line was handled by then (one aggregator, in
            // order)
            Jpm.await("talk's stderr line in " + errors, () -> {
                try {
                    return Files.isRegularFile(errors)
                                    && Files.readString(errors).contains("to-stderr")
                            ? true
                            : null;
                } catch (IOException e) {
                    return null;
                }
            });
            // either the daemon says it refused the link, or (the bug) the line went where the link points
            Jpm.await("the daemon's account of the refused link, or the victim written", () -> {
                try {
                    return Files.readString(jpm.home.resolve("daemon.log")).contains("talk-out.log")
                                    || !Files.readString(victim).equals("untouched\n")
                            ? true
                            : null;
                } catch (IOException e) {
                    return null;
                }
            });
            assertEquals("untouched\n", Files.readString(victim));
            assertTrue(Files.isSymbolicLink(jpm.home.resolve("logs").resolve("talk-out.log")));
            jpm.ok("delete", "all");
        }
    }
}
