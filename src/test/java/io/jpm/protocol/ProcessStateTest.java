package io.jpm.protocol;

import static io.jpm.protocol.ProcessState.ERRORED;
import static io.jpm.protocol.ProcessState.LAUNCHING;
import static io.jpm.protocol.ProcessState.ONLINE;
import static io.jpm.protocol.ProcessState.STOPPED;
import static io.jpm.protocol.ProcessState.STOPPING;
import static io.jpm.protocol.ProcessState.WAITING_RESTART;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProcessStateTest {

    /**
     * The state table as the README documents it, written out independently of the enum: each edge
     * not listed is forbidden (a stopped instance launches before it is online, a stopping one is
     * stopped before it launches again, an errored or waiting one never goes straight to online).
     */
    private static final Map<ProcessState, Set<ProcessState>> EXPECTED = Map.of(
            LAUNCHING, EnumSet.of(ONLINE, ERRORED, STOPPING, WAITING_RESTART, STOPPED),
            ONLINE, EnumSet.of(STOPPING, WAITING_RESTART, ERRORED, STOPPED),
            STOPPING, EnumSet.of(STOPPED),
            STOPPED, EnumSet.of(LAUNCHING, WAITING_RESTART),
            WAITING_RESTART, EnumSet.of(LAUNCHING, STOPPED),
            ERRORED, EnumSet.of(LAUNCHING, STOPPED));

    /** Each of the 36 pairs, allowed and forbidden alike, against the table above. */
    @Test
    void everyPairFollowsTheTable() {
        for (ProcessState from : ProcessState.values()) {
            for (ProcessState to : ProcessState.values()) {
                assertEquals(EXPECTED.get(from).contains(to), from.canMoveTo(to), from + " -> " + to);
            }
        }
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
