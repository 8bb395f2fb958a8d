package io.jpm.launcher;

import io.jpm.process.ProcessLauncher;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Records what a launcher tells of one child: its output, the order of its ends and exit. */
final class Recorder implements ProcessLauncher.Listener {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    /** "out-end", "err-end", "exit", in the order they came. */
    final List<String> events = new ArrayList<>();

    private final CountDownLatch exited = new CountDownLatch(1);
    private volatile ProcessLauncher.ExitStatus status;

    @Override
    public void onOutput(boolean isErr, ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        ByteArrayOutputStream to = isErr ? err : out;
        synchronized (to) {
            to.writeBytes(copy);
        }
    }

    @Override
    public synchronized void onOutputEnd(boolean isErr) {
        events.add(isErr ? "err-end" : "out-end");
    }

    @Override
    public void onExit(int pid, ProcessLauncher.ExitStatus exitStatus) {
        synchronized (this) {
            events.add("exit");
        }
        status = exitStatus;
        exited.countDown();
    }

    /** Waits (with a deadline) for the exit and returns its status. */
    ProcessLauncher.ExitStatus awaitExit() throws InterruptedException {
        if (!exited.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the child never exited; so far: " + events());
        }
        return status;
    }

    boolean hasExited() {
        return exited.getCount() == 0;
    }

    String out() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    String err() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }
}
