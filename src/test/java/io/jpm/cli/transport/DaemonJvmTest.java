package io.jpm.cli.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void anUnclusteredDaemonStartsWithoutThem() throws Exception {
        assertFalse(opensModules(null), "no jpm.json");
        assertFalse(opensModules("{\"satan\": {\"sample_interval\": \"1s\"}}"));
        assertFalse(opensModules("{\"cluster\": {}}"), "an empty section: the daemon starts alone (ClusterSettings)");
        assertFalse(DaemonJvm.clustered(new JpmHome(dir)), "nor waits for a join: the client gives it 30 s");
        assertFalse(DaemonJvm.DAEMON_JVM_FLAGS.stream().anyMatch(f -> f.startsWith("--add-")));
    }

    @Test
    void aNewerJdkGetsTheFlagsItStartsWithAndRunsWithoutWarnings() {
        assertTrue(DaemonJvm.flagsFor(17).contains("-XX:-UseNotificationThread"));
        assertTrue(DaemonJvm.flagsFor(22).contains("-XX:-UseNotificationThread"));
        assertFalse(DaemonJvm.flagsFor(22).contains("--enable-native-access=ALL-UNNAMED"));
        assertFalse(DaemonJvm.flagsFor(25).contains("-XX:-UseNotificationThread"), "JDK 25 refuses to start with it");
        assertTrue(DaemonJvm.flagsFor(25)
                .containsAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")));
        assertEquals(
                DaemonJvm.DAEMON_JVM_FLAGS.size() - 1 + 2,
                DaemonJvm.flagsFor(25).size(),
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

    @Test
    void theAssertionsVariableTurnsOnJpmsAssertionsOnly() {
        assertEquals(List.of("-ea:io.jpm..."), DaemonJvm.assertionFlags("1"));
        assertEquals(List.of(), DaemonJvm.assertionFlags(null));
        assertEquals(List.of(), DaemonJvm.assertionFlags(""));
        assertEquals(List.of(), DaemonJvm.assertionFlags("0"));
    }
}
