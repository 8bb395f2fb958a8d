package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpawnFailureTest {
    @TempDir
    Path dir;

    @Test
    void outOfDescriptorsNamesTheDaemonsLimit() {
        assertEquals(
                "spawn failed: cannot make a pipe: Too many open files (the daemon's ulimit -n is 256)",
                new SpawnFailure(256).reason(new IOException("cannot make a pipe: Too many open files")));
        assertEquals(
                "spawn failed: cannot make a pipe: Too many open files (the daemon's ulimit -n is reached)",
                new SpawnFailure(-1).reason(new IOException("cannot make a pipe: Too many open files")));
    }

    @Test
    void theSystemsLimitIsToldApart() {
        assertEquals(
                "spawn failed: cannot make a pipe: Too many open files in system (the system's limit, fs.file-max, is reached)",
                new SpawnFailure(256).reason(new IOException("cannot make a pipe: Too many open files in system")));
    }

    @Test
    void anyOtherReasonIsTheOsReasonAsItIs() {
        assertEquals(
                "spawn failed: posix_spawn: Resource temporarily unavailable",
                new SpawnFailure(256).reason(new IOException("posix_spawn: Resource temporarily unavailable")));
    }

    @Test
    void theSoftLimitIsReadFromProcLimits() throws IOException {
        Path limits = Files.writeString(
                dir.resolve("limits"),
                """
                Limit                     Soft Limit           Hard Limit           Units
                Max processes             63412                63412                processes
                Max open files            256                  1048576              files
                """);
        assertEquals(256, SpawnFailure.openFileLimit(limits));
        assertEquals(-1, SpawnFailure.openFileLimit(dir.resolve("missing")));
    }

    /** A failure with the counts it was given: how many are open, and how often it counted. */
    private static final class Counted extends SpawnFailure {
        long open;
        int counts;

        Counted(long limit, long open) {
            super(limit);
            this.open = open;
        }

        @Override
        long openDescriptors() {
            counts++;
            return open;
        }
    }

    @Test
    void theReserveIsCountedOnlyWhenTheSpawnsSinceCouldHaveUsedTheRoom() throws IOException {
        Counted plenty = new Counted(1_048_576, 100);
        for (int i = 0; i < 1000; i++) {
            plenty.checkReserve();
        }
        assertEquals(1, plenty.counts, "a million descriptors: counted once for 1,000 spawns");

        Counted tight = new Counted(128, 80); // 48 free: at or near the margin, every spawn counts
        tight.checkReserve();
        tight.checkReserve();
        assertEquals(2, tight.counts);
        tight.open = 100; // 28 free: fewer than the daemon keeps
        IOException refused = assertThrows(IOException.class, tight::checkReserve);
        assertTrue(refused.getMessage().contains("Too many open files"), refused.getMessage());
    }
}
