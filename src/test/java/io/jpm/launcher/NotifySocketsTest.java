package io.jpm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Deadline;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notify sockets on the daemon's first pump: each socket's datagrams reach its receiver, a closed
 * one's file goes, and the pump sleeps in epoll_wait between them (its own poller once spun on a core:
 * a wake left unread).
 */
class NotifySocketsTest {
    @TempDir
    Path dir;

    @Test
    void afterWakesThePollerSleepsInPollAndStillHearsEachSocket() throws Exception {
        NotifySockets sockets = new NotifySockets(dir);
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        NotifySockets.Bound first = sockets.open("a", heard::add);
        NotifySockets.Bound second = sockets.open("b", heard::add); // wakes the poller
        NotifySockets.Bound third = sockets.open("c", heard::add);
        sockets.close(first); // on the pump's thread
        Deadline closed = Deadline.in(Duration.ofSeconds(10));
        while (Files.exists(Path.of(first.notifySocket())) && !closed.passed()) {
            Thread.sleep(20); // polling the file with a deadline
        }
        assertTrue(Files.notExists(Path.of(first.notifySocket())), "the closed socket's file is removed");

        send(second.notifySocket(), "READY=1");
        assertEquals("READY=1", heard.poll(10, TimeUnit.SECONDS));

        String tid = pollerThread();
        // blocked in poll(2) several samples in a row: a spinning thread is running, or between polls
        int inPoll = 0;
        Deadline deadline = Deadline.in(Duration.ofSeconds(10));
        while (inPoll < 10 && !deadline.passed()) {
            String state = Files.readString(Path.of("/proc/self/task", tid, "stat"))
                    .replaceAll("^.*\\) ", "")
                    .substring(0, 1);
            String wchan = Files.readString(Path.of("/proc/self/task", tid, "wchan"));
            inPoll = "S".equals(state) && wchan.contains("poll") ? inPoll + 1 : 0;
            Thread.sleep(20); // sampling pace, not a wait for a state: the deadline bounds the loop
        }
        assertTrue(inPoll >= 10, "the pump is not asleep in epoll_wait(2): it spins");
        send(third.notifySocket(), "READY=1\nSTATUS=up");
        assertEquals("READY=1\nSTATUS=up", heard.poll(10, TimeUnit.SECONDS));
    }

    private static String pollerThread() throws Exception {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().equals("jpm-pump-0")) {
                        return task.getFileName().toString();
                    }
                } catch (NoSuchFileException ended) {
                    // a thread that ended between the listing and the read (idle pool threads end)
                }
            }
        }
        throw new AssertionError("no jpm-pump-0 thread");
    }

    private static void send(String socket, String message) throws Exception {
        Process p = new ProcessBuilder(
                        "python3",
                        "-c",
                        "import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);"
                                + " s.sendto(sys.argv[2].encode(), sys.argv[1])",
                        socket,
                        message)
                .inheritIO()
                .start();
        assertEquals(0, p.waitFor());
    }
}
