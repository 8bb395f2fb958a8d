package io.jpm.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {
    @Test
    void returnsTheFirstAnswerOnceTheProbeGivesOne() {
        AtomicInteger asked = new AtomicInteger();
        assertEquals("third", Eventually.await("the third try", () -> asked.incrementAndGet() == 3 ? "third" : null));
        assertEquals(3, asked.get(), "asked until it answered, then no more");
    }

    @Test
    void failsNamingWhatItAwaitedAndTheStateAtTheEnd() {
        AtomicInteger asked = new AtomicInteger();
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> Eventually.until(
                        () -> "a miracle; asked " + asked.get(),
                        Duration.ofMillis(100),
                        () -> asked.incrementAndGet() < 0));
        assertEquals("timed out after 100 ms waiting for a miracle; asked " + asked.get(), e.getMessage());
        assertTrue(asked.get() > 1, "asked again before giving up");
    }

    @Test
    void twoPortsAskedInARowAreFreeAndNotTheSame() {
        int first = Ports.free();
        int second = Ports.free();
        assertNotEquals(first, second);
        assertTrue(Ports.bindable(null, first) && Ports.bindable("127.0.0.1", second));
    }
}
