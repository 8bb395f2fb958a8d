package io.jpm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadNiceTest {
    /** Field 19 of /proc/thread-self/stat, after the command name (which may hold spaces). */
    private static int niceOfThisThread() throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }

    @Test
    void theCallingThreadAloneYields() throws Exception {
        int before = niceOfThisThread();
        CompletableFuture<Integer> inThread = new CompletableFuture<>();
        Thread yielding = new Thread(() -> {
            try {
                assertTrue(ThreadNice.setForCurrentThread(ThreadNice.YIELDING), "setpriority refused");
                inThread.complete(niceOfThisThread());
            } catch (Throwable e) {
                inThread.completeExceptionally(e);
            }
        });
        yielding.start();
        assertEquals(Math.max(before, ThreadNice.YIELDING), inThread.get(10, TimeUnit.SECONDS));
        assertEquals(before, niceOfThisThread(), "another thread of the process keeps its nice value");
    }
}
