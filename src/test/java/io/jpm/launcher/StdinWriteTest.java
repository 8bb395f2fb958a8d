package io.jpm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jpm.process.LaunchSpec;
import io.jpm.process.ProcessLauncher;
import io.jpm.process.ProcessLauncher.StdinWrite;
import io.jpm.process.Signal;
import io.jpm.testkit.Eventually;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Writing to a real child's stdin, through each launcher: order, the backlog bound, a closed stdin,
 * an exited child.
 */
class StdinWriteTest {
    private ProcessLauncher launcher;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CountDownLatch exited = new CountDownLatch(1);

    private final ProcessLauncher.Listener listener = new ProcessLauncher.Listener() {
        @Override
        public void onOutput(boolean err, ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            if (!err) {
                synchronized (out) {
                    out.writeBytes(copy);
                }
            }
        }

        @Override
        public void onOutputEnd(boolean err) {}

        @Override
        public void onExit(int pid, ProcessLauncher.ExitStatus status) {
            exited.countDown();
        }
    };

    static Stream<ProcessLauncher> launchers() {
        return Stream.of(new NuProcessLauncher(), new PosixSpawnLauncher());
    }

    private int spawn(ProcessLauncher with, String script) throws Exception {
        launcher = with;
        LaunchSpec spec = new LaunchSpec(
                List.of("sh", "-c", script),
                Path.of(System.getProperty("java.io.tmpdir")),
                Map.of("PATH", System.getenv("PATH")));
        return launcher.spawn(spec, listener).pid();
    }

    private void kill(int pid) throws InterruptedException {
        launcher.signal(pid, Signal.SIGKILL, true);
        assertTrue(exited.await(30, TimeUnit.SECONDS), "the child never exited");
    }

    @ParameterizedTest
    @MethodSource("launchers")
    void linesReachAReadingAppInTheOrderGivenAndNoneIsLost(ProcessLauncher with) throws Exception {
        int pid = spawn(with, "exec cat");
        StringBuilder expected = new StringBuilder();
        // 50,000 short lines queued at once: NuProcess's own pump recursed once per queued buffer and
        // overflowed its stack (OneAtATimeStdin); 50,000 x ~11 bytes stays under the backlog's 1 MiB
        for (int i = 0; i < 50_000; i++) {
            String line = "line " + i + "\n";
            expected.append(line);
            assertEquals(StdinWrite.QUEUED, launcher.writeStdin(pid, line.getBytes(StandardCharsets.UTF_8)));
        }
        String all = expected.toString();
        Eventually.until("every line echoed", () -> {
            synchronized (out) {
                return out.size() >= all.length();
            }
        });
        synchronized (out) {
            assertEquals(all, out.toString(StandardCharsets.UTF_8));
        }
        kill(pid);
        assertEquals(StdinWrite.NO_PROCESS, launcher.writeStdin(pid, "late\n".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @MethodSource("launchers")
    void anAppThatNeverReadsIsRefusedOnceItsBacklogIsFull(ProcessLauncher with) throws Exception {
        int pid = spawn(with, "exec sleep 1000");
        byte[] chunk = new byte[16 * 1024];
        long accepted = 0;
        // the pump thread can move at most the pipe's 64 KiB and (NuProcess) its own 64 KiB buffer out
        // of the backlog, so an app that reads nothing fills it after a bounded number of writes
        while (true) {
            StdinWrite result = launcher.writeStdin(pid, chunk);
            if (result == StdinWrite.FULL) {
                break;
            }
            assertEquals(StdinWrite.QUEUED, result);
            accepted += chunk.length;
            if (accepted > 4L * StdinBacklog.LIMIT) {
                fail("still accepting after " + accepted + " bytes nobody read");
            }
        }
        assertTrue(accepted > StdinBacklog.LIMIT - chunk.length, "refused early: " + accepted);
        assertTrue(accepted <= StdinBacklog.LIMIT + 2 * 64 * 1024 + chunk.length, "refused late: " + accepted);
        kill(pid);
    }

    @ParameterizedTest
    @MethodSource("launchers")
    void anAppThatClosedItsStdinIsToldApart(ProcessLauncher with) throws Exception {
        int pid = spawn(with, "exec 0<&-; exec sleep 1000");
        byte[] line = "hello\n".getBytes(StandardCharsets.UTF_8);
        // the first writes are queued; the pump thread's write then fails (EPIPE) and closes our end
        Eventually.until("the closed stdin to be seen", () -> launcher.writeStdin(pid, line) == StdinWrite.CLOSED);
        kill(pid);
    }
}
