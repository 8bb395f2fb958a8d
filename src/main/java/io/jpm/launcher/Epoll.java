package io.jpm.launcher;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * epoll(7) through JNA, for {@link PipePump}. The JDK's Selector cannot watch a raw descriptor (a
 * pipe made by pipe2, a pidfd), so the pump uses epoll as NuProcess does. Each registration carries
 * a 64-bit token rather than the descriptor number: a number closed and reused by another spawn
 * meanwhile can then never be mistaken for the old one.
 */
final class Epoll {
    static {
        Native.register(Epoll.class, LibC.NAME);
    }

    static final int EPOLLIN = 0x001;
    static final int EPOLLOUT = 0x004;
    static final int EPOLLERR = 0x008;
    static final int EPOLLHUP = 0x010;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CTL_MOD = 3;
    /** struct epoll_event is packed on x86-64 (4 + 8 bytes), 8-aligned elsewhere (4 + 4 + 8). */
    static final int EVENT_SIZE = Platform.isIntel() && Platform.is64Bit() ? 12 : 16;

    private static final int DATA_OFFSET = EVENT_SIZE - 8;

    private Epoll() {}

    private static native int epoll_create1(int flags);

    private static native int epoll_ctl(int epfd, int op, int fd, Pointer event);

    private static native int epoll_wait(int epfd, Pointer events, int maxEvents, int timeoutMs);

    /** A new epoll instance (close-on-exec). */
    static int create() {
        int epfd = epoll_create1(LibC.O_CLOEXEC);
        if (epfd < 0) {
            throw new IllegalStateException("epoll_create1 failed: " + LibC.strerror(Native.getLastError()));
        }
        return epfd;
    }

    /** Watches {@code fd} for {@code events}, reported with {@code token}; false when the kernel refuses. */
    static boolean add(int epfd, int fd, int events, long token) {
        return ctl(epfd, EPOLL_CTL_ADD, fd, events, token) == 0;
    }

    /** Changes what {@code fd} is watched for. */
    static boolean modify(int epfd, int fd, int events, long token) {
        return ctl(epfd, EPOLL_CTL_MOD, fd, events, token) == 0;
    }

    /** Stops watching {@code fd} (closing it does that too, once no duplicate is left). */
    static void remove(int epfd, int fd) {
        ctl(epfd, EPOLL_CTL_DEL, fd, 0, 0);
    }

    private static int ctl(int epfd, int op, int fd, int events, long token) {
        Memory event = new Memory(EVENT_SIZE);
        event.setInt(0, events);
        event.setLong(DATA_OFFSET, token);
        return epoll_ctl(epfd, op, fd, event);
    }

    /** Room for {@code max} events, for {@link #await}. */
    static Memory events(int max) {
        return new Memory((long) EVENT_SIZE * max);
    }

    /** Waits for events (forever); returns how many, 0 when interrupted by a signal. */
    static int await(int epfd, Memory events, int max) {
        int n = epoll_wait(epfd, events, max, -1);
        if (n < 0) {
            int errno = Native.getLastError();
            if (errno == LibC.EINTR) {
                return 0;
            }
            throw new IllegalStateException("epoll_wait failed: " + LibC.strerror(errno));
        }
        return n;
    }

    static int eventsOf(Memory events, int i) {
        return events.getInt((long) EVENT_SIZE * i);
    }

    static long tokenOf(Memory events, int i) {
        return events.getLong((long) EVENT_SIZE * i + DATA_OFFSET);
    }
}
