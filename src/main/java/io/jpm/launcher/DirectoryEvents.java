package io.jpm.launcher;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What changes in a folder, from inotify(7) on the first pump: a look that costs nothing while
 * nothing changes, where a stat every second would wake an idle daemon for good.
 * The config watcher waits this way for a settings file that does not exist yet.
 *
 * <p>The folder itself is not followed if it is a symbolic link (jpm trusts only the user's own
 * files, not what a link points at). Events are reported by name: an entry created, moved in or out,
 * written and closed, its attributes changed, or deleted; {@link #THE_FOLDER} when the folder's own
 * attributes changed (a chmod: what may be trusted in it changed, and the events go on); {@code null}
 * when the kernel dropped events or the folder itself went, so the caller looks at everything again.
 */
public final class DirectoryEvents implements AutoCloseable {
    /** The name an event of the folder itself carries: no entry in it has an empty name. */
    public static final String THE_FOLDER = "";

    private static final int IN_ATTRIB = 0x4;
    private static final int IN_CLOSE_WRITE = 0x8;
    private static final int IN_MOVED_FROM = 0x40;
    private static final int IN_MOVED_TO = 0x80;
    private static final int IN_CREATE = 0x100;
    private static final int IN_DELETE = 0x200;
    private static final int IN_DELETE_SELF = 0x400;
    private static final int IN_MOVE_SELF = 0x800;
    private static final int IN_Q_OVERFLOW = 0x4000;
    private static final int IN_IGNORED = 0x8000;
    private static final int IN_ONLYDIR = 0x01000000;
    private static final int IN_DONT_FOLLOW = 0x02000000;
    private static final int WATCHED = IN_ATTRIB
            | IN_CLOSE_WRITE
            | IN_MOVED_FROM
            | IN_MOVED_TO
            | IN_CREATE
            | IN_DELETE
            | IN_DELETE_SELF
            | IN_MOVE_SELF
            | IN_ONLYDIR
            | IN_DONT_FOLLOW;
    /** struct inotify_event: wd, mask, cookie, len, then len bytes of name (NUL-padded). */
    private static final int HEADER_BYTES = 16;

    private final PipePump pump;
    private final int fd;
    private final long token;
    /** Pump thread only. */
    private final byte[] read = new byte[4096];

    private boolean closed;

    private DirectoryEvents(PipePump pump, int fd, long token) {
        this.pump = pump;
        this.fd = fd;
        this.token = token;
    }

    /**
     * Reports each change in {@code folder} to {@code changed}, on the pump's thread (hand it on; do not
     * wait there), until {@link #close}.
     *
     * @throws IOException when inotify refuses: no more instances or watches for this user, no such
     *     folder, a symbolic link
     */
    public static DirectoryEvents watch(Path folder, Consumer<String> changed) throws IOException {
        int fd = LibC.inotify_init1(LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw new IOException("inotify_init1: " + LibC.strerror(Native.getLastError()));
        }
        if (LibC.inotify_add_watch(fd, folder.toString(), WATCHED) < 0) {
            int errno = Native.getLastError();
            LibC.close(fd);
            throw new IOException("inotify_add_watch " + folder + ": " + LibC.strerror(errno));
        }
        PipePump pump = PumpPool.first();
        DirectoryEvents events = new DirectoryEvents(pump, fd, PipePump.token());
        try {
            pump.watch(fd, Epoll.EPOLLIN, events.token, ready -> events.drain(changed));
        } catch (IllegalStateException e) {
            LibC.close(fd);
            throw new IOException(e.getMessage());
        }
        return events;
    }

    /** On the pump: every event read now, each named. */
    private void drain(Consumer<String> changed) {
        if (closed) {
            return;
        }
        for (long n = LibC.read(fd, read, read.length); n > 0; n = LibC.read(fd, read, read.length)) {
            ByteBuffer events = ByteBuffer.wrap(read, 0, (int) n).order(ByteOrder.nativeOrder());
            while (events.remaining() >= HEADER_BYTES) {
                events.getInt(); // the watch: there is one
                int mask = events.getInt();
                events.getInt(); // the cookie that pairs a rename's two halves
                int length = events.getInt();
                int at = events.position();
                events.position(at + length);
                if ((mask & (IN_Q_OVERFLOW | IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) != 0) {
                    changed.accept(null);
                    continue;
                }
                if (length == 0) {
                    changed.accept(THE_FOLDER); // its attributes: the watch itself goes on
                    continue;
                }
                int end = at;
                while (end < at + length && read[end] != 0) {
                    end++;
                }
                changed.accept(new String(read, at, end - at, StandardCharsets.UTF_8));
            }
        }
    }

    /** Stops reporting (any thread); the descriptor is closed on the pump, after any event it is handling. */
    @Override
    public void close() {
        pump.run(() -> {
            if (!closed) {
                closed = true;
                pump.unwatch(fd, token);
                LibC.close(fd);
            }
        });
    }
}
