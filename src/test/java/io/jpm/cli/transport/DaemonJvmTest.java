package io.jpm.cli.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hazelcast's module options go only to a daemon whose jpm.json has a cluster section; a newer JDK
 * than 17 gets the flags it takes.
 */
class DaemonJvmTest {
    @TempDir
    Path dir;

    private boolean opensModules(String settings) throws Exception {
        JpmHome home = new JpmHome(dir);
        if (settings != null) {
            Files.writeString(home.settings(), settings);
        }
        return DaemonJvm.configuredFlags(null, home).containsAll(DaemonJvm.CLUSTER_JVM_FLAGS);
    }

    @Test
    void pm2sKillTimeoutReachesTheDaemonOnItsCommandLine() {
        assertEquals(List.of("-Djpm.kill_timeout=3000"), flags(null, "3000"));
        assertEquals(List.of("-Djpm.kill_timeout=1000"), flags("1000", "3000"), "jpm's name first");
        assertEquals(List.of("-Djpm.kill_timeout=3000"), flags("", "3000"));
        assertEquals(List.of(), flags(null, null));
        assertEquals(List.of(), flags(null, "3s"), "not a number of ms: the default stands");
        assertEquals(List.of(), flags(null, "-1"));
    }

    /** The daemon's -D defaults for JPM_KILL_TIMEOUT and PM2_KILL_TIMEOUT holding these values (null: unset). */
    private static List<String> flags(String jpm, String pm2) {
        Map<String, String> env = new HashMap<>();
        env.put("JPM_KILL_TIMEOUT", jpm);
        env.put("PM2_KILL_TIMEOUT", pm2);
        env.values().removeIf(Objects::isNull);
        return DaemonJvm.daemonDefaultFlags(env);
    }

    @Test
    void anUnclusteredDaemonStartsWithoutThem() throws Exception {
        assertFalse(opensModules(null), "no jpm.json");
        assertFalse(opensModules("{\"satan\": {\"sample_interval\": \"1s\"}}"));
        assertFalse(opensModules("{\"cluster\": {}}"), "an empty section: the daemon starts alone (ClusterSettings)");
        assertFalse(DaemonJvm.clustered(new JpmHome(dir)), "nor waits for a join: the client gives it 30 s");
        assertFalse(DaemonJvm.DAEMON_JVM_FLAGS.stream().anyMatch(f -> f.startsWith("--add-")));
    }

    @Test
    void aNewerJdkGetsTheFlagsItStartsWithAndRunsWithoutWarnings() {
        assertTrue(DaemonJvm.flagsFor(17, false).contains("-XX:-UseNotificationThread"));
        assertTrue(DaemonJvm.flagsFor(22, false).contains("-XX:-UseNotificationThread"));
        assertFalse(DaemonJvm.flagsFor(22, false).contains("--enable-native-access=ALL-UNNAMED"));
        assertFalse(
                DaemonJvm.flagsFor(25, false).contains("-XX:-UseNotificationThread"),
                "JDK 25 refuses to start with it");
        assertTrue(DaemonJvm.flagsFor(25, false)
                .containsAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")));
        assertEquals(
                DaemonJvm.DAEMON_JVM_FLAGS.size() + DaemonJvm.jitFlags(false).size() - 1 + 2,
                DaemonJvm.flagsFor(25, false).size(),
                "nothing else changes");
    }

    @Test
    void aClusterSectionBringsThem() throws Exception {
        assertTrue(opensModules("{\"cluster\": {\"name\": \"prod\", \"node\": \"web-1\"}}"));
        assertTrue(DaemonJvm.clustered(new JpmHome(dir)), "its start waits for the join: the client gives it 90 s");
    }

    @Test
    void aFileThatIsNotJsonOrNotTheHomesOwnBringsNone() throws Exception {
        assertFalse(opensModules("{\"cluster\": "), "cut JSON: the daemon refuses it, with its own message");
        assertFalse(opensModules("{\"cluster\": null}"));
        Path elsewhere =
                Files.writeString(Files.createTempFile(dir, "other", ".json"), "{\"cluster\": {\"name\": \"prod\"}}");
        Files.delete(new JpmHome(dir).settings());
        Files.createSymbolicLink(new JpmHome(dir).settings(), elsewhere);
        assertFalse(DaemonJvm.configuredFlags(null, new JpmHome(dir)).containsAll(DaemonJvm.CLUSTER_JVM_FLAGS));
    }

    /**
     * C2 for a daemon that will relay traffic (an instance with a private port, as the balancer's TCP
     * and HTTP modes give, in state.json or the user's dump), C1 alone for the rest.
     */
    @Test
    void aDaemonGetsC2OnlyWhenItsAppsAreRelayed() throws Exception {
        JpmHome home = new JpmHome(dir);
        assertEquals(DaemonJvm.jitFlags(false), jit(home), "no file: C1 alone");
        String fork = "{\"version\":1,\"apps\":[{\"name\":\"a\",\"source\":{\"port\":3000},"
                + "\"processes\":[{\"pm_id\":0,\"pid\":10,\"port\":0}]}]}";
        Files.writeString(home.dump(), fork);
        assertEquals(DaemonJvm.jitFlags(false), jit(home), "a socket-mode or fork app: no private port");
        String relayed = fork.replace("\"port\":0", "\"port\":41000");
        Files.writeString(home.recoveryState(), relayed);
        assertEquals(DaemonJvm.jitFlags(true), jit(home), "what runs (state.json) is relayed");
        Files.delete(home.recoveryState());
        Files.writeString(home.dump(), relayed);
        assertEquals(DaemonJvm.jitFlags(true), jit(home), "what a resurrect restores is relayed");
        Files.writeString(
                home.dump(),
                "[{\"name\":\"web\",\"pm_id\":0,\"jpm_app\":{\"name\":\"web\",\"processes\":"
                        + "[{\"pm_id\":0,\"port\":41000}]}}]");
        assertEquals(DaemonJvm.jitFlags(true), jit(home), "pm2's dump format, jpm's entry inside");
        Files.writeString(home.dump(), relayed.substring(0, relayed.length() - 9));
        assertEquals(DaemonJvm.jitFlags(false), jit(home), "a cut file: the daemon says what is wrong with it");
    }

    /** The JIT part of the daemon's flags. */
    private static List<String> jit(JpmHome home) {
        List<String> flags = DaemonJvm.configuredFlags(null, home);
        boolean relays = flags.containsAll(DaemonJvm.jitFlags(true));
        assertTrue(relays != flags.containsAll(DaemonJvm.jitFlags(false)), "one JIT: " + flags);
        return DaemonJvm.jitFlags(relays);
    }

    @Test
    void theAssertionsVariableTurnsOnJpmsAssertionsOnly() {
        assertEquals(List.of("-ea:io.jpm..."), DaemonJvm.assertionFlags("1"));
        assertEquals(List.of(), DaemonJvm.assertionFlags(null));
        assertEquals(List.of(), DaemonJvm.assertionFlags(""));
        assertEquals(List.of(), DaemonJvm.assertionFlags("0"));
    }
}
