package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * An empty {@code token} file locked the owner out, {@code
 * jpm kill} included, with "no token in headers.token" and no hint. Now every command says what is
 * wrong and how to recover in one line, {@code jpm kill} stops the daemon by its pid, and the next
 * daemon writes a new token and says so in daemon.log.
 */
class EmptyTokenIT {
    @Test
    void anEmptyTokenFileIsNamedWithItsRecoveryAndJpmKillStillStopsTheDaemon() throws IOException {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "idle");
            int app = jpm.pidOf("idle");
            int daemon = jpm.daemonPid();
            Path token = jpm.home.resolve("token");
            Files.writeString(token, "");

            Jpm.Result ls = jpm.cli("ls");
            assertNotEquals(0, ls.exit(), ls.toString());
            assertEquals(
                    "jpm: " + token + " is empty, so no command can reach the daemon (pid " + daemon
                            + ") that holds the token: run `jpm kill` to stop it by its pid (its apps stop with"
                            + " it); the next daemon writes a new token",
                    ls.err().strip(),
                    ls.toString());
            assertTrue(Jpm.alive(daemon), "nothing changed by a refused command");

            Jpm.Result kill = jpm.cli("kill");
            assertEquals(0, kill.exit(), kill.toString());
            assertTrue(kill.out().contains("daemon " + daemon + " stopped by its pid"), kill.toString());
            assertFalse(Jpm.alive(daemon), "the daemon stopped");
            Jpm.awaitGone(app);

            Jpm.Result next = jpm.cli("ls");
            assertEquals(0, next.exit(), next.toString());
            assertFalse(Files.readString(token).isBlank(), "the next daemon wrote a new token");
            assertTrue(
                    Files.readString(jpm.home.resolve("daemon.log"))
                            .contains(token + " was empty: replaced by a new token"),
                    "daemon.log says so");
        }
    }

    @Test
    void aRemovedTokenFileIsNamedTheSameWayAndJpmKillDoesNotSayNoDaemonRuns() throws IOException {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "idle");
            int app = jpm.pidOf("idle");
            int daemon = jpm.daemonPid();
            Path token = jpm.home.resolve("token");
            Files.delete(token);

            Jpm.Result ls = jpm.cli("ls");
            assertNotEquals(0, ls.exit(), ls.toString());
            assertTrue(
                    ls.err()
                            .strip()
                            .startsWith("jpm: " + token + " is missing, so no command can reach the daemon (pid "
                                    + daemon + ")"),
                    ls.toString());

            Jpm.Result kill = jpm.cli("kill");
            assertEquals(0, kill.exit(), kill.toString());
            assertTrue(
                    kill.out().contains(token + " is missing: daemon " + daemon + " stopped by its pid"),
                    kill.toString());
            Jpm.awaitGone(app);
            assertEquals(0, jpm.cli("ls").exit());
        }
    }

    @Test
    void anEmptyTokenFileWithNoDaemonRunningIsReplacedByTheNextDaemon() throws IOException {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("ls");
            jpm.ok("kill");
            Path token = jpm.home.resolve("token");
            Files.writeString(token, "");
            Jpm.Result ls = jpm.cli("ls");
            assertEquals(0, ls.exit(), ls.toString());
            assertFalse(Files.readString(token).isBlank());
        }
    }
}
