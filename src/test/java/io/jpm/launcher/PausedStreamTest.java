package io.jpm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.process.LaunchSpec;
import io.jpm.process.ProcessLauncher;
import io.jpm.process.Signal;
import io.jpm.testkit.Eventually;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pump thread reads the pipes of many children: a stream whose output budget is spent (its log
 * slow to write) is paused, not waited for, so the lines of the other apps on the same pump keep
 * coming; and it is read again, from where it stopped, once its budget frees.
 */
class PausedStreamTest {
    @TempDir
    Path dir;

    private final PosixSpawnLauncher launcher = new PosixSpawnLauncher();
    private final List<Integer> groups = new ArrayList<>();

    @AfterEach
    void noneLeft() {
        groups.forEach(pid -> launcher.signalGroup(pid, Signal.SIGKILL));
    }

    private int spawn(String script, ProcessLauncher.Listener listener) throws IOException {
        LaunchSpec spec = new LaunchSpec(List.of("sh", "-c", script), dir, PosixSpawnLauncherTest.PATH);
        int pid = launcher.spawn(spec, listener).pid();
        groups.add(pid);
        return pid;
    }

    @Test
    void aStreamOutOfBudgetHoldsUpNoOtherAppAndIsReadAgainOnceItFrees() throws Exception {
        Stalling flood = new Stalling();
        spawn("exec yes flood", flood);
        Eventually.until("the flood's first read, answered with no room", () -> flood.resume.get() != null);

        for (int i = 1; i < PumpPool.THREADS; i++) {
            Recorder other = new Recorder(); // children are dealt in turn: the next one shares the flood's pump
            spawn("exit 0", other);
            other.awaitExit();
        }
        Recorder quiet = new Recorder();
        spawn("i=0; while [ $i -lt 100 ]; do echo line $i; i=$((i+1)); done", quiet);
        assertEquals(0, quiet.awaitExit().exitCode(), "the other app's output is read to its end meanwhile");
        assertEquals(100, quiet.out().lines().count());
        assertEquals(1, flood.offers.get(), "the paused stream was not read meanwhile");

        long before = flood.bytes.get();
        flood.resume.get().run();
        Eventually.until("the flood read again", () -> flood.bytes.get() > before);
    }

    /** Takes the first read of stdout, then says it has no room; keeps the resume for the test. */
    private static final class Stalling implements ProcessLauncher.Listener {
        final AtomicReference<Runnable> resume = new AtomicReference<>();
        final AtomicInteger offers = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();

        @Override
        public boolean offerOutput(boolean err, ByteBuffer read, Runnable resumeReading) {
            bytes.addAndGet(read.remaining());
            if (offers.incrementAndGet() == 1) {
                resume.set(resumeReading);
                return false;
            }
            return true;
        }

        @Override
        public void onOutput(boolean err, ByteBuffer read) {
            throw new AssertionError("the launcher offers its reads");
        }

        @Override
        public void onOutputEnd(boolean err) {}

        @Override
        public void onExit(int pid, ProcessLauncher.ExitStatus status) {}
    }
}
