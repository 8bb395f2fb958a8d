package io.jpm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SupervisionNotesTest {
    @Test
    void theKeepersFileSaysHowManyDeathsWhenAndHowTheLastEnded() {
        assertEquals(
                Optional.of("the daemon crashed 4 times in a row and its keeper gave up at 2026-11-24 12:00:00"
                        + " (the last: signal 9); the apps ran on, and this daemon was started when a command"
                        + " asked: see daemon.log for why it died"),
                SupervisionNotes.gaveUpNote("4 1795521600 signal 9", ZoneOffset.UTC));
    }

    @Test
    void whatNoKeeperWritesIsNoNote() {
        assertEquals(Optional.empty(), SupervisionNotes.gaveUpNote("", ZoneOffset.UTC));
        assertEquals(Optional.empty(), SupervisionNotes.gaveUpNote("four times", ZoneOffset.UTC));
    }
}
