package io.jpm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.process.LaunchSpec;
import io.jpm.process.ProcessLauncher;
import io.jpm.testkit.Eventually;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A flooding app's pipe grows to 1 MiB, and what it holds when the app exits is still read, with
 * each launcher: NuProcess alone reads a hung-up pipe only once more (64 KiB), which would lose the
 * rest of a grown pipe.
 */
class PipeSizerTest {
    private static final int BYTES = 1_000_000; // under 1 MiB: fits the grown pipe, the app exits

    static Stream<ProcessLauncher> launchers() {
        return Stream.of(new NuProcessLauncher(), new PosixSpawnLauncher());
    }

    @ParameterizedTest
    @MethodSource("launchers")
    void aGrownPipeIsReadToItsEndAfterTheAppExits(ProcessLauncher launcher) throws Exception {
        AtomicLong received = new AtomicLong();
        CountDownLatch ended = new CountDownLatch(1);
        AtomicInteger pid = new AtomicInteger();
        int[] calls = new int[1];
        boolean[] held = new boolean[1];
        ProcessLauncher.Listener listener = new ProcessLauncher.Listener() {
            @Override
            public void onOutput(boolean err, ByteBuffer bytes) {
                received.addAndGet(bytes.remaining());
                bytes.position(bytes.limit());
                if (err) {
                    return;
                }
                calls[0]++;
                if (held[0]) {
                    return;
                }
                if (PipeSizer.grownNow() > 0) {
                    // a read found the pipe half full and grew it: hold the reader until the app has
                    // written everything into it and exited, leaving most of it unread
                    await(pid, PipeSizerTest::zombie, "stat");
                    held[0] = true;
                } else {
                    // hold the reader until the app is blocked on its full 64 KiB pipe: the next read is big
                    await(pid, wchan -> wchan.contains("pipe_write"), "wchan");
                }
            }

            @Override
            public void onOutputEnd(boolean err) {
                if (!err) {
                    ended.countDown();
                }
            }

            @Override
            public void onExit(int exitedPid, ProcessLauncher.ExitStatus status) {}
        };
        LaunchSpec spec = new LaunchSpec(
                List.of("sh", "-c", "exec head -c " + BYTES + " /dev/zero"),
                Path.of(System.getProperty("java.io.tmpdir")),
                Map.of("PATH", System.getenv("PATH")));
        pid.set(launcher.spawn(spec, listener).pid());
        assertTrue(ended.await(60, TimeUnit.SECONDS), "stdout never ended");
        assertEquals(BYTES, received.get(), "bytes read from the app's stdout");
        assertTrue(held[0], "the pipe grew");
        assertEquals(0, PipeSizer.grownNow(), "the grown pipe's slot is given back");
    }

    private static boolean zombie(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    }

    /** Polls /proc/<pid>/<file> until it matches (the app's pid may be set just after spawn). */
    private static void await(AtomicInteger pid, Predicate<String> test, String file) {
        Eventually.until(
                () -> "the app's " + file + " to match; last: " + read(pid.get(), file), Eventually.TIMEOUT, () -> {
                    int p = pid.get();
                    try {
                        return p > 0 && test.test(Files.readString(Path.of("/proc", Integer.toString(p), file)));
                    } catch (IOException e) {
                        return true; // already reaped: nothing more to wait for
                    }
                });
    }

    private static String read(int pid, String file) {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), file));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
