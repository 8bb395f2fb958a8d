package io.jpm.launcher;

import com.zaxxer.nuprocess.NuProcess;
import com.zaxxer.nuprocess.internal.BasePosixProcess;
import com.zaxxer.nuprocess.internal.ReferenceCountedFileDescriptor;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Grows the pipe of a child's stdout or stderr from the kernel's 64 KiB to 1 MiB once the child
 * writes faster than the daemon reads, so a flooding app runs ahead of its reader instead of
 * blocking every 64 KiB (pm2's children write into socket pairs, whose buffer is about as large).
 *
 * <p>Only a stream caught outrunning its reader (a read that found the pipe at least half full) is
 * grown: the kernel counts a pipe's capacity against its user's pipe budget
 * ({@code /proc/sys/fs/pipe-user-pages-soft}, 64 MiB by default) whether it is full or not, and a
 * user over that budget gets tiny pipes for everything else it starts. So at most
 * {@link #MAX_GROWN} pipes are grown at once (a quarter of the default budget), and a pipe's slot is
 * given back when its stream closes. Growing is best effort: when the kernel refuses (over the
 * budget, an old kernel), the pipe keeps its size, nothing else
 * changes. Back-pressure is unchanged: a full 1 MiB pipe blocks the app as a full 64 KiB one did.
 *
 * <p>Under NuProcess a grown pipe must be drained by us when it closes: NuProcess, told the writer
 * hung up, reads the pipe once more (64 KiB at most) and reports it closed, leaving the rest unread
 * (which a 64 KiB pipe never has). {@link #drain} reads what is left before the end is passed on.
 * {@link PosixSpawnLauncher}'s pump reads until a read returns end of file, so it needs no drain.
 */
final class PipeSizer {
    /** The size a flooding stream's pipe grows to. */
    static final int GROWN_SIZE = 1024 * 1024;
    /** A read at least this big found the pipe (64 KiB by default) half full: the app outruns us. */
    static final int OUTRUN_READ = 32 * 1024;
    /** Pipes grown at once, daemon-wide: bounds what jpm takes of its user's pipe budget. */
    static final int MAX_GROWN = 16;

    private static final int F_SETPIPE_SZ = 1031;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int O_NONBLOCK = 04000;
    private static final AtomicInteger GROWN = new AtomicInteger();

    private PipeSizer() {}

    /**
     * Grows the pipe of one stream of {@code process} if a budget slot is free.
     *
     * @return whether it grew (the caller gives the slot back with {@link #release()} at the end)
     */
    static boolean grow(NuProcess process, boolean err) {
        if (!(process instanceof BasePosixProcess posix)) {
            return false;
        }
        ReferenceCountedFileDescriptor pipe = err ? posix.getStderr() : posix.getStdout();
        int fd = pipe == null ? -1 : pipe.acquire();
        if (fd < 0) {
            return false;
        }
        try {
            return grow(fd);
        } finally {
            pipe.release();
        }
    }

    /** Grows the pipe whose read end is {@code fd} if a budget slot is free (see {@link #grow(NuProcess, boolean)}). */
    static boolean grow(int fd) {
        if (GROWN.incrementAndGet() > MAX_GROWN) {
            GROWN.decrementAndGet();
            return false;
        }
        boolean grown = false;
        try {
            grown = LibC.fcntl(fd, F_SETPIPE_SZ, GROWN_SIZE) >= GROWN_SIZE;
        } catch (RuntimeException | LinkageError e) {
            grown = false;
        } finally {
            if (!grown) {
                GROWN.decrementAndGet();
            }
        }
        return grown;
    }

    /**
     * Reads what is left in a stream's pipe after its writers hung up, handing each piece to
     * {@code sink}. Non-blocking, so a pipe somebody still writes to cannot hold the pump thread.
     */
    static void drain(NuProcess process, boolean err, Consumer<ByteBuffer> sink) {
        if (!(process instanceof BasePosixProcess posix)) {
            return;
        }
        ReferenceCountedFileDescriptor pipe = err ? posix.getStderr() : posix.getStdout();
        int fd = pipe == null ? -1 : pipe.acquire();
        if (fd < 0) {
            return;
        }
        try {
            int flags = LibC.fcntl(fd, F_GETFL, 0);
            if (flags < 0 || LibC.fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
                return;
            }
            byte[] buffer = new byte[64 * 1024];
            for (long n = LibC.read(fd, buffer, buffer.length); n > 0; n = LibC.read(fd, buffer, buffer.length)) {
                sink.accept(ByteBuffer.wrap(buffer, 0, (int) n));
            }
        } finally {
            pipe.release();
        }
    }

    /** A grown pipe's stream has closed: its slot is free again. */
    static void release() {
        GROWN.decrementAndGet();
    }

    /** Pipes grown now (for tests). */
    static int grownNow() {
        return GROWN.get();
    }
}
