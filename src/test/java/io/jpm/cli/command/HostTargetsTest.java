package io.jpm.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    assertEquals(new HostTargets(List.of("api"), "web-2"), HostTargets.of(List.of("api@web-2"), null));
    assertEquals(new HostTargets(List.of("api"), "web-2"), HostTargets.of(List.of("api"), "web-2"));
    assertEquals(new HostTargets(List.of("api", "worker"), "web-2"), HostTargets.of(List.of("api@web-2", "worker"), "web-2"));
    assertEquals("jpm.host.web-2.cmd.restart", HostTargets.of(List.of("api@web-2"), null).address(Addresses.CMD_RESTART));
  }

  @Test
  void aScopedNameIsNoHost() {
    assertEquals(new HostTargets(List.of("@scope/app"), null), HostTargets.of(List.of("@scope/app"), null));
  }

  @Test
  void oneHostPerCommand() {
    CliException e = assertThrows(CliException.class, () -> HostTargets.of(List.of("api@web-1", "api@web-2"), null));
    assertTrue(e.getMessage().contains("several hosts (web-1, web-2)"), e.getMessage());
    assertThrows(CliException.class, () -> HostTargets.of(List.of("api"), "web 2"));
  }
}
