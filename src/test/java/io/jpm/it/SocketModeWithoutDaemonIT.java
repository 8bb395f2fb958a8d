package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A Node app in socket mode answers new connections while no daemon deals them (issue 63): each
 * instance keeps a copy of the listening socket and accepts on it itself once the dealer has been
 * silent a while, and is dealt to again once a daemon is back. Regression: 0 of 6 new connections
 * were answered while the daemon was SIGSTOPped, and 0 of 6 while the keeper rested after a crash
 * loop; they waited in the socket's queue for the next daemon.
 */
@WithoutTuning
class SocketModeWithoutDaemonIT {
    private static final Pattern PID = Pattern.compile("pid=(\\d+)");
    private static final int CONNECTIONS = 6;

    @Test
    void newConnectionsAreAnsweredWhileTheDaemonIsStoppedAndDealtToBothInstancesAfter() throws Exception {
        try (Jpm jpm = new Jpm()) {
            int port = Ports.free();
            Set<Long> pids = start(jpm, Map.of("APP_PORT", Integer.toString(port)));
            int daemon = jpm.daemonPid();
            // each instance asks for its copy of the socket when first dealt to, and gets it from the
            // daemon: stopped before that (a loaded machine), none accepts and the connections wait
            awaitCopies(port, pids);
            Set<Long> answered = new HashSet<>();
            signal("STOP", daemon);
            try {
                // each one answered before the SIGCONT below (a connection nobody accepts times out)
                for (int i = 0; i < CONNECTIONS; i++) {
                    answered.add(pidOf(Load.onNewConnection(port)));
                }
            } finally {
                signal("CONT", daemon);
            }
            assertTrue(pids.containsAll(answered), "answered by the app's instances: " + answered + " of " + pids);
            awaitEveryPid(port, pids);
            assertEquals(daemon, jpm.daemonPid(), "the same daemon");
            jpm.ok("delete", "web");
        }
    }

    @Test
    void newConnectionsAreAnsweredWhileTheKeeperRestsAndDealtToBothInstancesOnceADaemonAdoptsThem() throws Exception {
        try (Jpm jpm = new Jpm()) {
            int port = Ports.free();
            // the keeper's pauses between quick deaths (1 s each): it gives up at the fourth and rests
            Set<Long> pids = start(jpm, Map.of("APP_PORT", Integer.toString(port), "JPM_KEEPER_PAUSES_S", "1 1"));
            DaemonAway.awaitRecorded(jpm, pids);
            int daemon = jpm.daemonPid();
            for (int death = 1; death <= 4; death++) {
                // as above: an instance not given its copy yet would leave the connections to the next daemon
                awaitCopies(port, pids);
                DaemonAway.kill(jpm);
                if (death < 4) {
                    daemon = DaemonAway.awaitNewDaemon(jpm, daemon);
                    ClusterIT.awaitReady(jpm, "web", 2); // adopted before the next death
                }
            }
            Path gaveUp = jpm.home.resolve("keeper-gave-up");
            jpm.awaitLog(
                    jpm.home.resolve("daemon.log").toString(), "trying again every 30 s, or when a jpm command asks");
            Set<Long> answered = new HashSet<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                answered.add(pidOf(Load.onNewConnection(port)));
            }
            assertTrue(Files.exists(gaveUp), "answered while the keeper rested (no daemon took over)");
            assertTrue(pids.containsAll(answered), "answered by the app's instances: " + answered + " of " + pids);

            // the next command asks the keeper for a daemon, which adopts both and deals to both again
            jpm.ok("ls");
            assertEquals(pids, ClusterIT.pids(ClusterIT.awaitReady(jpm, "web", 2)), "adopted with their pids");
            awaitEveryPid(port, pids);
            jpm.ok("delete", "web");
        }
    }

    private static Set<Long> start(Jpm jpm, Map<String, String> env) {
        ClusterIT.start(
                jpm, env, List.of("start", Jpm.fixture("hello_cluster.js").toString(), "--name", "web", "-i", "2"));
        return ClusterIT.pids(ClusterIT.awaitReady(jpm, "web", 2));
    }

    /** New connections until every pid of {@code pids} has answered one. */
    private static void awaitEveryPid(int port, Set<Long> pids) {
        Set<Long> seen = new HashSet<>();
        Jpm.await("answers from every pid of " + pids + " (seen " + seen + ")", () -> {
            try {
                seen.add(pidOf(Load.onNewConnection(port)));
            } catch (IOException e) {
                return null;
            }
            return seen.containsAll(pids) ? true : null;
        });
    }

    /** Until every pid of {@code pids} holds a descriptor of the socket listening on {@code port}. */
    private static void awaitCopies(int port, Set<Long> pids) {
        Jpm.await("each instance of " + pids + " holding a copy of port " + port + "'s socket", () -> {
            String inode = listeningInode(port);
            if (inode == null) {
                return null;
            }
            for (long pid : pids) {
                if (!holds(pid, "socket:[" + inode + "]")) {
                    try {
                        Load.onNewConnection(port); // dealt to: it asks for its copy
                    } catch (IOException e) {
                        // asked again at the next look
                    }
                    return null;
                }
            }
            return true;
        });
    }

    /** The inode of the socket listening on TCP {@code port} (/proc/net/tcp and tcp6, state 0A), or null. */
    private static String listeningInode(int port) {
        String hex = String.format(":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length > 9 && fields[1].endsWith(hex) && fields[3].equals("0A")) {
                        return fields[9];
                    }
                }
            } catch (IOException e) {
                // no IPv6 here
            }
        }
        return null;
    }

    private static boolean holds(long pid, String link) {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(link);
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    private static long pidOf(String answer) {
        Matcher m = PID.matcher(answer);
        assertTrue(m.find(), answer);
        return Long.parseLong(m.group(1));
    }

    private static void signal(String name, int pid) throws Exception {
        assertEquals(
                0,
                new ProcessBuilder("kill", "-" + name, Integer.toString(pid))
                        .start()
                        .waitFor());
    }
}
