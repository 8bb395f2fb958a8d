package io.jpm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An idle Netty event loop with an empty calendar wakes once a second; with the day's task it sleeps.
 * Both loops are watched over the same window, in this JVM's /proc (voluntary context switches of
 * each loop's thread): the bare loop's count shows the window can see a wake-up.
 */
class QuietEventLoopsTest {
    /** A little over two of Netty's one-second waits. */
    private static final long WINDOW_MS = 2_300;

    @Test
    void aLoopWithTheDaysTaskDoesNotWakeEverySecond() throws Exception {
        MultiThreadIoEventLoopGroup bare = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        MultiThreadIoEventLoopGroup quiet = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            QuietEventLoops.quiet(quiet);
            Path bareThread = threadOf(bare.next());
            Path quietThread = threadOf(quiet.next());
            long bareBefore = switches(bareThread);
            long quietBefore = switches(quietThread);
            // not a wait for a state: the measure is what the two loops do over this time
            TimeUnit.MILLISECONDS.sleep(WINDOW_MS);
            long bareWakes = switches(bareThread) - bareBefore;
            long quietWakes = switches(quietThread) - quietBefore;
            assertTrue(bareWakes >= 2, "the bare loop woke " + bareWakes + " times: the window sees Netty's 1 s waits");
            assertEquals(0, quietWakes, "the loop with the day's task woke");
        } finally {
            bare.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            quiet.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** /proc/self/task/TID of the loop's thread, once it has run a task and waits again. */
    private static Path threadOf(EventLoop loop) throws Exception {
        String task = loop.submit(() ->
                        Files.readSymbolicLink(Path.of("/proc/thread-self")).toString())
                .get(10, TimeUnit.SECONDS); // "PID/task/TID"
        Path thread = Path.of("/proc", task);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(thread.resolve("status")).contains("State:\tS")) {
            assertTrue(System.nanoTime() < deadline, "the loop's thread never went back to waiting");
            Thread.onSpinWait();
        }
        return thread;
    }

    private static long switches(Path thread) throws Exception {
        return Files.readAllLines(thread.resolve("status")).stream()
                .filter(l -> l.startsWith("voluntary_ctxt_switches:"))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).trim()))
                .findFirst()
                .orElseThrow();
    }
}
