package io.jpm.launcher;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * One thread that serves the pipes and exits of the children dealt to it: an epoll loop over their
 * stdout and stderr (read), their stdin (written while something is queued) and their pidfds
 * (readable once the child has exited). One pump serves every child, so the daemon's thread count
 * does not grow with its apps. Its callbacks never wait for room: a stream whose output budget is
 * spent (god.StreamShipper) is taken out of the interest set ({@link #pause}) and put back when
 * the budget frees ({@link #resume}), so one slow stream holds up no other.
 *
 * <p>Registrations may come from any thread (epoll_ctl is safe while the pump waits); the callbacks
 * run on the pump thread only, so a child's descriptors are read, written and closed by one thread.
 */
final class PipePump {
    private static final Logger LOG = Logger.getLogger("jpm.launcher");
    /** One read's most: NuProcess's buffer size, and a default pipe's capacity. */
    static final int BUFFER_BYTES = 64 * 1024;

    private static final int MAX_EVENTS = 64;
    private static final AtomicLong TOKENS = new AtomicLong();

    /** What a registered descriptor does when epoll reports it. */
    interface Watch {
        void ready(int events);
    }

    private final int epfd = Epoll.create();
    private final Map<Long, Watch> watches = new ConcurrentHashMap<>();
    /** Where reads land: handed to the listener, valid only during its call. */
    private final ByteBuffer in = ByteBuffer.allocateDirect(BUFFER_BYTES);

    private final Pointer inAddress = Native.getDirectBufferPointer(in);
    /** Where bytes for a child's stdin are copied before write(2). */
    private final ByteBuffer out = ByteBuffer.allocateDirect(BUFFER_BYTES);

    private final Pointer outAddress = Native.getDirectBufferPointer(out);
    /** Work handed to this thread ({@link #run}), and the eventfd that wakes it for it. */
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    private final int wake = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
    private final byte[] wakeCount = new byte[8];

    /** A pump on a thread of its own, named {@code name}. */
    PipePump(String name) {
        this();
        Thread thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** A pump whose loop a thread that has nothing else to do runs ({@link #run()}). */
    PipePump() {
        if (wake < 0) {
            throw new IllegalStateException("eventfd: " + LibC.strerror(Native.getLastError()));
        }
        long token = token();
        watches.put(token, events -> {
            LibC.read(wake, wakeCount, 8);
            for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                task.run();
            }
        });
        Epoll.add(epfd, wake, Epoll.EPOLLIN, token);
    }

    /** A new registration's token: taken before {@link #watch}, so the watch knows it from its first event. */
    static long token() {
        return TOKENS.incrementAndGet();
    }

    /** Runs {@code task} on this pump's thread, after what it is doing now. */
    void run(Runnable task) {
        tasks.add(task);
        byte[] one = new byte[8];
        ByteBuffer.wrap(one).order(ByteOrder.nativeOrder()).putLong(1);
        LibC.write(wake, one, 8);
    }

    /**
     * Reads once from {@code fd} through the stream's output journal into the pump's buffer (pump
     * thread only): as {@link #read(int, long[])}, but the bytes are in the journal before they leave the pipe.
     */
    ByteBuffer read(int fd, OutputJournal journal, long[] rc) {
        return journal.read(fd, in, inAddress, BUFFER_BYTES, rc);
    }

    /** Watches {@code fd} for {@code events} under {@code token}; {@code watch} hears of them on the pump thread. */
    void watch(int fd, int events, long token, Watch watch) {
        watches.put(token, watch);
        if (!Epoll.add(epfd, fd, events, token)) {
            watches.remove(token);
            throw new IllegalStateException(
                    "epoll_ctl ADD of descriptor " + fd + ": " + LibC.strerror(Native.getLastError()));
        }
    }

    /** Watches an already registered {@code fd} for other events. */
    void modify(int fd, int events, long token) {
        Epoll.modify(epfd, fd, events, token);
    }

    /**
     * Stops reading {@code fd} for now (pump thread): out of the interest set, as a registration
     * with no events would still report a hang-up; its watch stays, for {@link #resume}.
     */
    void pause(int fd) {
        Epoll.remove(epfd, fd);
    }

    /** Reads {@code fd} again (pump thread); level-triggered, what waits in the pipe is reported at once. */
    void resume(int fd, int events, long token) {
        if (!Epoll.add(epfd, fd, events, token)) {
            throw new IllegalStateException(
                    "epoll_ctl ADD of descriptor " + fd + ": " + LibC.strerror(Native.getLastError()));
        }
    }

    /** Stops watching {@code fd} (before it is closed: an event already fetched then finds no watch). */
    void unwatch(int fd, long token) {
        watches.remove(token);
        Epoll.remove(epfd, fd);
    }

    /**
     * Reads once from {@code fd} into the pump's buffer (pump thread only).
     *
     * @return the bytes read (position 0, limit = count), or null when the read returned {@code rc}
     *     of 0 (end of file) or an error; {@code rc[0]} tells which (0, or -errno)
     */
    ByteBuffer read(int fd, long[] rc) {
        long n = LibC.read(fd, inAddress, BUFFER_BYTES);
        if (n > 0) {
            in.clear().limit((int) n);
            rc[0] = n;
            return in;
        }
        rc[0] = n == 0 ? 0 : -Native.getLastError();
        return null;
    }

    /**
     * Writes what fits of {@code bytes} to {@code fd} (pump thread only) and moves its position past
     * what was written.
     *
     * @return bytes written, or -errno
     */
    long write(int fd, ByteBuffer bytes) {
        int length = Math.min(bytes.remaining(), BUFFER_BYTES);
        out.clear();
        out.put(bytes.duplicate().limit(bytes.position() + length));
        long n = LibC.write(fd, outAddress, length);
        if (n < 0) {
            return -Native.getLastError();
        }
        bytes.position(bytes.position() + (int) n);
        return n;
    }

    /** The pump's loop, on its thread for good. */
    void run() {
        Memory events = Epoll.events(MAX_EVENTS);
        while (true) {
            int n = Epoll.await(epfd, events, MAX_EVENTS);
            for (int i = 0; i < n; i++) {
                Watch watch = watches.get(Epoll.tokenOf(events, i));
                if (watch == null) {
                    continue; // unwatched after this batch was fetched
                }
                try {
                    watch.ready(Epoll.eventsOf(events, i));
                } catch (RuntimeException e) {
                    LOG.warning(() -> "a child's pipe handler failed: " + e);
                }
            }
        }
    }
}
