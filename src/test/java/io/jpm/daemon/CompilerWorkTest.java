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
        CompilerWork work = new CompilerWork();
        long nanos = work.nanos();
        assertTrue(nanos > 0, "the compiler threads' run time: " + nanos);
        long again = work.nanos(); // the threads' names known from the first look
        assertTrue(again > 0, "the compiler threads' run time, read again: " + again);
    }
}
