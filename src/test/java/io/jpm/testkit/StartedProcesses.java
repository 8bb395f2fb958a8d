package io.jpm.testkit;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The processes a test starts, killed with their descendants after each test, passed or failed.
 * Register it as a field: {@code @RegisterExtension final StartedProcesses started = new StartedProcesses();}.
 */
public final class StartedProcesses implements AfterEachCallback {
    private final List<Process> started = new CopyOnWriteArrayList<>();

    /** Starts {@code builder}'s process and keeps it to kill after the test. */
    public Process start(ProcessBuilder builder) throws IOException {
        Process process = builder.start();
        started.add(process);
        return process;
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        started.clear();
    }
}
