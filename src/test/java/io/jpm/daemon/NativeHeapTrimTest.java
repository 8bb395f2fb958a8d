package io.jpm.daemon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.launcher.NativeHeap;
import org.junit.jupiter.api.Test;

/** When the daemon trims its native heap: first after start, then only once its RSS grew. */
class NativeHeapTrimTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void theFirstLookTrimsThenOnlyAGrowthOfAMebibyteDoes() {
        assertTrue(NativeHeapTrim.due(60 * MIB, 0), "none yet");
        assertFalse(NativeHeapTrim.due(60 * MIB, 60 * MIB), "an idle daemon: the same RSS");
        assertFalse(NativeHeapTrim.due(60 * MIB + MIB - 1, 60 * MIB));
        assertTrue(NativeHeapTrim.due(61 * MIB, 60 * MIB), "grown by a burst");
        assertFalse(NativeHeapTrim.due(50 * MIB, 60 * MIB), "shrunk by itself");
        assertFalse(NativeHeapTrim.due(-1, 0), "no /proc reading");
    }

    @Test
    void theRssIsReadFromProc() {
        assertTrue(NativeHeap.rss() > MIB);
    }
}
