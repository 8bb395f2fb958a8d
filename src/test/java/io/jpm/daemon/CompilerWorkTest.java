package io.jpm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The JIT's work read from /proc: its compiler threads' run time. */
class CompilerWorkTest {
    @Test
    void schedstatsFirstFieldIsTheRunTime() {
        assertEquals(123456789L, CompilerWork.runNanos("123456789 2000 17\n"));
        assertEquals(42L, CompilerWork.runNanos("42"));
    }

    @Test
    void thisJvmsCompilersHaveWorked() {
        // the test JVM compiled its way here (JUnit's own code), on a JIT that is on by default
        long nanos = CompilerWork.nanos();
        assertTrue(nanos > 0, "the compiler threads' run time: " + nanos);
    }
}
