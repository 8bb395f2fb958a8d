package io.jpm.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SignalTest {

    @Test
    void parsesFullNames() {
        assertEquals(Signal.SIGUSR2, Signal.parse("SIGUSR2"));
        assertEquals(Signal.SIGKILL, Signal.parse("SIGKILL"));
    }

    @Test
    void parsesShortLowerCaseNames() {
        assertEquals(Signal.SIGUSR2, Signal.parse("usr2"));
        assertEquals(Signal.SIGHUP, Signal.parse("hup"));
    }

    @Test
    void parsesNumbers() {
        assertEquals(Signal.SIGUSR2, Signal.parse("12"));
        assertEquals(Signal.SIGKILL, Signal.parse("9"));
        assertEquals(Signal.SIGTERM, Signal.parse("15"));
    }

    @Test
    void trimsAndIgnoresCase() {
        assertEquals(Signal.SIGTERM, Signal.parse(" sigterm "));
        assertEquals(Signal.SIGINT, Signal.parse("\tSigInt\n"));
    }

    @Test
    void numbersAreLinuxs() {
        assertEquals(2, Signal.SIGINT.number());
        assertEquals(10, Signal.SIGUSR1.number());
        assertEquals(19, Signal.SIGSTOP.number());
        assertEquals(31, Signal.SIGSYS.number());
        for (Signal s : Signal.values()) {
            assertEquals(s, Signal.ofNumber(s.number()));
        }
        assertNull(Signal.ofNumber(0));
        assertNull(Signal.ofNumber(64));
    }

    @Test
    void badValuesThrowNamingTheValue() {
        for (String bad : new String[] {"SIGFOO", "usr3", "0", "32", "", "SIG", "-9", "9x"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Signal.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void numberTooLargeForAnIntIsAnUnknownSignal() {
        var e = assertThrows(IllegalArgumentException.class, () -> Signal.parse("99999999999"));
        assertTrue(e.getMessage().startsWith("unknown signal '99999999999'"), e.getMessage());
    }
}
