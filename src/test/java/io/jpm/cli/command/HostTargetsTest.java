package io.jpm.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.cli.CliException;
import io.jpm.protocol.Addresses;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostTargetsTest {
    @Test
    void noHostIsThisHost() {
        HostTargets t = HostTargets.of(List.of("api", "0"), null);
        assertNull(t.host());
        assertEquals(List.of("api", "0"), t.targets());
        assertEquals(Addresses.CMD_RESTART, t.address(Addresses.CMD_RESTART));
    }

    @Test
    void nameAtNodeAndHostFlagSayTheSame() {
        for (HostTargets t :
                List.of(HostTargets.of(List.of("api@web-2"), null), HostTargets.of(List.of("api"), "web-2"))) {
            assertEquals(List.of("api"), t.targets());
            assertEquals("web-2", t.host());
        }
        HostTargets both = HostTargets.of(List.of("api@web-2", "worker"), "web-2");
        assertEquals(List.of("api", "worker"), both.targets());
        assertEquals("web-2", both.host());
        assertEquals(
                "jpm.host.web-2.cmd.restart",
                HostTargets.of(List.of("api@web-2"), null).address(Addresses.CMD_RESTART));
    }

    @Test
    void theWordsAsGivenAreKeptForADaemonWithoutACluster() {
        HostTargets t = HostTargets.of(List.of("a@b"), null);
        assertEquals(List.of("a@b"), t.words());
        assertFalse(t.flagged());
        assertTrue(HostTargets.of(List.of("a"), "b").flagged());
    }

    @Test
    void aScopedNameIsNoHost() {
        HostTargets t = HostTargets.of(List.of("@scope/app"), null);
        assertNull(t.host());
        assertEquals(List.of("@scope/app"), t.targets());
    }

    @Test
    void oneHostPerCommand() {
        CliException e =
                assertThrows(CliException.class, () -> HostTargets.of(List.of("api@web-1", "api@web-2"), null));
        assertTrue(e.getMessage().contains("several hosts (web-1, web-2)"), e.getMessage());
        assertThrows(CliException.class, () -> HostTargets.of(List.of("api"), "web 2"));
    }
}
