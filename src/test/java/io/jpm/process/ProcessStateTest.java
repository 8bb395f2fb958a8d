package io.jpm.process;

import static io.jpm.process.ProcessState.ERRORED;
import static io.jpm.process.ProcessState.LAUNCHING;
import static io.jpm.process.ProcessState.ONLINE;
import static io.jpm.process.ProcessState.STOPPED;
import static io.jpm.process.ProcessState.STOPPING;
import static io.jpm.process.ProcessState.WAITING_RESTART;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProcessStateTest {

  /** The state table as the README documents it, written out independently of the enum. */
  private static final Map<ProcessState, Set<ProcessState>> EXPECTED = Map.of(
      LAUNCHING, EnumSet.of(ONLINE, ERRORED, STOPPING, WAITING_RESTART, STOPPED),
      ONLINE, EnumSet.of(STOPPING, WAITING_RESTART, ERRORED, STOPPED),
      STOPPING, EnumSet.of(STOPPED),
      STOPPED, EnumSet.of(LAUNCHING),
      WAITING_RESTART, EnumSet.of(LAUNCHING, STOPPED),
      ERRORED, EnumSet.of(LAUNCHING, STOPPED));

  @Test
  void everyPairFollowsTheTable() {
    for (ProcessState from : ProcessState.values()) {
      for (ProcessState to : ProcessState.values()) {
        assertEquals(EXPECTED.get(from).contains(to), from.canMoveTo(to), from + " -> " + to);
      }
    }
  }

  @Test
  void allowedEdges() {
    assertTrue(STOPPED.canMoveTo(LAUNCHING));
    assertTrue(LAUNCHING.canMoveTo(ONLINE));
    assertTrue(LAUNCHING.canMoveTo(ERRORED));
    assertTrue(LAUNCHING.canMoveTo(STOPPING));
    assertTrue(ONLINE.canMoveTo(STOPPING));
    assertTrue(ONLINE.canMoveTo(WAITING_RESTART));
    assertTrue(ONLINE.canMoveTo(ERRORED));
    assertTrue(ONLINE.canMoveTo(STOPPED));
    assertTrue(STOPPING.canMoveTo(STOPPED));
    assertTrue(WAITING_RESTART.canMoveTo(LAUNCHING));
    assertTrue(WAITING_RESTART.canMoveTo(STOPPED));
    assertTrue(ERRORED.canMoveTo(LAUNCHING));
    assertTrue(ERRORED.canMoveTo(STOPPED));
  }

  @Test
  void forbiddenEdges() {
    assertFalse(STOPPED.canMoveTo(ONLINE), "a stopped instance must launch first");
    assertFalse(STOPPING.canMoveTo(LAUNCHING), "a stopping instance must reach stopped first");
    assertFalse(ERRORED.canMoveTo(ONLINE));
    assertFalse(STOPPING.canMoveTo(ONLINE));
    assertFalse(WAITING_RESTART.canMoveTo(ONLINE));
    assertFalse(STOPPED.canMoveTo(STOPPING));
    assertFalse(LAUNCHING.canMoveTo(LAUNCHING));
  }

  @Test
  void noStateMovesToItself() {
    for (ProcessState s : ProcessState.values()) {
      assertFalse(s.canMoveTo(s), s.toString());
    }
  }

  @Test
  void wordsArePm2s() {
    assertEquals("launching", LAUNCHING.word());
    assertEquals("online", ONLINE.word());
    assertEquals("stopping", STOPPING.word());
    assertEquals("stopped", STOPPED.word());
    assertEquals("waiting restart", WAITING_RESTART.word());
    assertEquals("errored", ERRORED.word());
  }

  @Test
  void fromWordRoundTrips() {
    for (ProcessState s : ProcessState.values()) {
      assertEquals(s, ProcessState.fromWord(s.word()));
    }
  }

  @Test
  void fromWordRefusesEnumNamesAndUnknownWords() {
    var e = assertThrows(IllegalArgumentException.class, () -> ProcessState.fromWord("WAITING_RESTART"));
    assertTrue(e.getMessage().contains("WAITING_RESTART"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ProcessState.fromWord("running"));
  }

  @Test
  void hasProcessWhileAnOsProcessMayExist() {
    assertTrue(LAUNCHING.hasProcess());
    assertTrue(ONLINE.hasProcess());
    assertTrue(STOPPING.hasProcess());
    assertFalse(STOPPED.hasProcess());
    assertFalse(WAITING_RESTART.hasProcess());
    assertFalse(ERRORED.hasProcess());
  }

  @Test
  void isActiveUnlessStoppedOrErrored() {
    assertTrue(LAUNCHING.isActive());
    assertTrue(ONLINE.isActive());
    assertTrue(STOPPING.isActive());
    assertTrue(WAITING_RESTART.isActive());
    assertFalse(STOPPED.isActive());
    assertFalse(ERRORED.isActive());
  }
}
