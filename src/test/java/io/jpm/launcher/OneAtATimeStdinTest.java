package io.jpm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jpm.process.ProcessLauncher.StdinWrite;
import io.jpm.testkit.Eventually;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** NuProcess is handed one buffer at a time; what comes meanwhile is joined, in order, and counted unread until spent. */
class OneAtATimeStdinTest {
    /** One thread, as the launcher's; its queue shows which rechecks are armed. */
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    /** What "NuProcess" was handed, in order. */
    private final List<ByteBuffer> handed = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** NuProcess's pump copying a buffer out: its position moves to its limit. */
    private static String spend(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.get(copy);
        return new String(copy, StandardCharsets.US_ASCII);
    }

    private ByteBuffer awaitHanded(int n) {
        Eventually.until(
                () -> "buffer " + n + " to be handed on; handed " + handed.size(),
                Duration.ofSeconds(10),
                () -> handed.size() >= n);
        return handed.get(n - 1);
    }

    @Test
    void writesWhileABufferIsHeldAreJoinedAndHandedOnOnceItIsSpent() {
        OneAtATimeStdin pipe = new OneAtATimeStdin(handed::add, timer);
        StdinBacklog backlog = new StdinBacklog();
        assertEquals(StdinWrite.QUEUED, backlog.write(pipe, bytes("a\n")));
        ByteBuffer first = awaitHanded(1);
        for (int i = 0; i < 1000; i++) {
            assertEquals(StdinWrite.QUEUED, backlog.write(pipe, bytes(i + "\n")));
        }
        assertEquals(1, handed.size(), "nothing more is handed while the first buffer is unspent");
        assertEquals(2 + 3890, backlog.unread(), "everything given counts as unread");
        assertEquals("a\n", spend(first));
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            expected.append(i).append('\n');
        }
        ByteBuffer joined = awaitHanded(2);
        assertEquals(3890, backlog.unread(), "the first line was read; the joined ones are not yet");
        assertEquals(expected.toString(), spend(joined));
        assertEquals(StdinWrite.QUEUED, backlog.write(pipe, bytes("z\n")));
        assertEquals("z\n", spend(awaitHanded(3)));
        assertEquals(3, handed.size(), "one buffer per hand-over");
        assertEquals(2, backlog.unread(), "only the last one, until the next hand-over sees it spent");
    }

    @Test
    void onceTheChildHasExitedNothingWaitsAndWritesAreRefused() throws Exception {
        OneAtATimeStdin pipe = new OneAtATimeStdin(handed::add, timer);
        pipe.write(ByteBuffer.wrap(bytes("a\n")));
        pipe.write(ByteBuffer.wrap(bytes("b\n"))); // waits behind the unspent first buffer
        pipe.close();
        spend(awaitHanded(1));
        // "b" armed a recheck (which may have armed the next one before the close), each due at most
        // RECHECK_MAX_MS after it was armed. The timer has one thread and runs its tasks by due time, so
        // once a marker due RECHECK_MAX_MS from now has run, every recheck armed so far has run; an empty
        // queue then shows none armed another after the exit, so nothing can be handed on later either
        timer.schedule(() -> {}, OneAtATimeStdin.RECHECK_MAX_MS, TimeUnit.MILLISECONDS)
                .get(10, TimeUnit.SECONDS);
        assertEquals(List.of(), List.copyOf(timer.getQueue()), "no recheck is armed once the child has exited");
        assertEquals(1, handed.size(), "what waited is dropped, not handed on after the exit");
        assertThrows(IllegalStateException.class, () -> pipe.write(ByteBuffer.wrap(bytes("c\n"))));
    }

    @Test
    void aClosedStdinRefusesTheWriteThatFindsItAndEveryOneAfter() {
        OneAtATimeStdin pipe = new OneAtATimeStdin(
                buffer -> {
                    throw new IllegalStateException("closeStdin() was called");
                },
                timer);
        StdinBacklog backlog = new StdinBacklog();
        assertEquals(StdinWrite.CLOSED, backlog.write(pipe, bytes("a\n")));
        assertThrows(IllegalStateException.class, () -> pipe.write(ByteBuffer.wrap(bytes("b\n"))));
    }
}
