package io.jpm.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.HomeFileNames;
import io.jpm.protocol.JpmHome;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemdUnitTest {
    private final SystemdUnit unit = new SystemdUnit(
            "deploy",
            new JpmHome(Path.of("/home/deploy/.jpm")),
            List.of("/opt/my jpm/bin/jpm"),
            "/usr/local/bin:/usr/bin",
            "/usr/lib/jvm/java-17");

    @Test
    void theUnitResurrectsAsTheUserWithItsHomePathAndJava() {
        String text = unit.render();
        assertEquals("jpm-deploy.service", unit.name());
        assertTrue(text.contains("\nUser=deploy\n"), text);
        assertTrue(text.contains("\nType=forking\n"), text);
        assertTrue(text.contains("\nPIDFile=/home/deploy/.jpm/keeper.pid\n"), text);
        assertTrue(text.contains("\nEnvironment=JPM_HOME=/home/deploy/.jpm\n"), text);
        assertTrue(text.contains("\nEnvironment=PATH=/usr/local/bin:/usr/bin\n"), text);
        assertTrue(text.contains("\nEnvironment=JAVA_HOME=/usr/lib/jvm/java-17\n"), text);
        assertTrue(text.contains("\nExecStart=\"/opt/my jpm/bin/jpm\" resurrect\n"), text);
        assertTrue(text.contains("\nExecStop=\"/opt/my jpm/bin/jpm\" kill\n"), text);
        assertTrue(text.contains("\n[Install]\nWantedBy=multi-user.target\n"), text);
    }

    @Test
    void pm2sServiceNameAndWaitIp() {
        SystemdUnit named = new SystemdUnit(
                "deploy",
                new JpmHome(Path.of("/home/deploy/.jpm")),
                List.of("/bin/jpm"),
                "/usr/bin",
                "/jvm",
                "apps",
                true,
                true);
        assertEquals("apps.service", named.name());
        String text = named.render();
        assertTrue(text.contains("\nAfter=network-online.target\nWants=network-online.target\n"), text);
        assertTrue(unit.render().contains("\nAfter=network.target\n"));
    }

    @Test
    void quotingFollowsSystemd() {
        assertEquals("plain", SystemdUnit.quote("plain"));
        assertEquals("\"a b\"", SystemdUnit.quote("a b"));
        assertEquals("\"say \\\"hi\\\"\"", SystemdUnit.quote("say \"hi\""));
    }

    /** The second line behind the keeper: systemd starts jpm again when the keeper gave up (exit 1), after a pause. */
    @Test
    void aFailedServiceIsStartedAgainAfterAPause() {
        String text = unit.render();
        assertTrue(text.contains("\nRestart=on-failure\nRestartSec=5\n"), text);
    }

    /** Without perl no keeper runs: systemd follows the daemon itself. */
    @Test
    void withoutPerlTheUnitFollowsTheDaemon() {
        SystemdUnit alone = new SystemdUnit(
                "deploy",
                new JpmHome(Path.of("/home/deploy/.jpm")),
                List.of("/bin/jpm"),
                "/nowhere",
                "/jvm",
                null,
                false,
                false);
        String text = alone.render();
        assertTrue(text.contains("\nPIDFile=/home/deploy/.jpm/jpm.pid\n"), text);
        assertTrue(text.contains("\nRestart=on-failure\nRestartSec=5\n"), text);
    }

    /** A release's bin/jpm runs on its own runtime: the unit names no JAVA_HOME, which an upgrade could move. */
    @Test
    void aReleaseUnitRunsTheInstalledJpmWithoutJavaHome() {
        SystemdUnit release = new SystemdUnit(
                "deploy", new JpmHome(Path.of("/home/deploy/.jpm")), List.of("/usr/bin/jpm"), "/usr/bin:/bin", null);
        String text = release.render();
        assertFalse(text.contains("JAVA_HOME"), text);
        assertFalse(text.contains("null"), text);
        assertTrue(text.contains("\nExecStart=/usr/bin/jpm resurrect\n"), text);
        assertTrue(text.contains("\nEnvironment=PATH=/usr/bin:/bin\nPIDFile="), text);
    }

    /** A home with pm2's file names keeps them when systemd starts jpm: the unit names them, and follows pm2.pid. */
    @Test
    void aHomeWithPm2sFileNamesKeepsThemAtBoot() {
        SystemdUnit pm2Names = new SystemdUnit(
                "deploy",
                new JpmHome(Path.of("/home/deploy/.pm2"), HomeFileNames.PM2),
                List.of("/bin/jpm"),
                "/nowhere",
                "/jvm",
                null,
                false,
                false);
        String text = pm2Names.render();
        assertTrue(text.contains("\nEnvironment=JPM_FILE_NAMES=pm2\n"), text);
        assertTrue(text.contains("\nPIDFile=/home/deploy/.pm2/pm2.pid\n"), text);
        assertFalse(unit.render().contains("JPM_FILE_NAMES"), unit.render());
    }
}
