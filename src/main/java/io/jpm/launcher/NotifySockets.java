package io.jpm.launcher;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * systemd's notify sockets, one per run that waits to be ready: a Unix datagram socket whose path
 * goes to the app as {@code NOTIFY_SOCKET}, and which the app (or sd_notify(3), systemd-notify,
 * go-systemd, python's sdnotify...) sends {@code READY=1} to. The JDK has no Unix datagram
 * sockets (JEP 380 gave only stream ones), so these are libc's, through JNA like the rest of the
 * launcher. One thread polls every open socket; an eventfd wakes it when the set changes, and a
 * socket is closed by that thread only, so its number is never reused under a poll in progress.
 */
final class NotifySockets {
    private static final Logger LOG = Logger.getLogger("jpm.launcher");

    static {
        Native.register(LibC.NAME);
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_NONBLOCK = 04000;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int EFD_NONBLOCK = 04000;
    private static final int EFD_CLOEXEC = 02000000;
    private static final short POLLIN = 1;
    /** sockaddr_un's sun_path, its terminating NUL included. */
    static final int SUN_PATH = 108;

    private static final int DATAGRAM = 4096;

    private static native int socket(int domain, int type, int protocol);

    private static native int bind(int fd, byte[] address, int length);

    private static native long recv(int fd, byte[] buffer, long length, int flags);

    private static native int close(int fd);

    private static native int poll(byte[] fds, long count, int timeoutMs);

    private static native int eventfd(int initial, int flags);

    private static native long write(int fd, byte[] buffer, long count);

    private static native long read(int fd, byte[] buffer, long count);

    /** One open socket: where it is bound (null for an abstract one) and who hears it. */
    private record Open(Bound bound, Path file, Consumer<String> receiver) {}

    private final Path dir;
    private final Map<Integer, Open> open = new HashMap<>();
    private final List<Integer> closing = new ArrayList<>();
    private int wakeFd = -1;
    private Thread poller;

    /** @param dir where the sockets' files go (JPM_HOME/run: only the daemon's user may reach them) */
    NotifySockets(Path dir) {
        this.dir = dir;
    }

    /** An open socket: its descriptor and the value for NOTIFY_SOCKET. */
    record Bound(int fd, String notifySocket) {}

    /**
     * Opens a socket named {@code name}. A path too long for sun_path (a deep JPM_HOME) falls back to
     * Linux's abstract namespace ({@code @jpm-name}), which sd_notify and the libraries above accept.
     */
    synchronized Bound open(String name, Consumer<String> receiver) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".sock");
        byte[] path = file.toString().getBytes(StandardCharsets.UTF_8);
        boolean fits = path.length < SUN_PATH;
        byte[] abstractName = ("jpm-" + name).getBytes(StandardCharsets.UTF_8);
        String value = fits ? file.toString() : "@" + new String(abstractName, StandardCharsets.UTF_8);
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("cannot make a notify socket: errno " + Native.getLastError());
        }
        if (fits) {
            Files.deleteIfExists(file);
        }
        byte[] address = fits ? address(path, false) : address(abstractName, true);
        int length = fits ? 2 + path.length + 1 : 2 + 1 + abstractName.length;
        if (bind(fd, address, length) != 0) {
            int errno = Native.getLastError();
            close(fd);
            throw new IOException("cannot bind the notify socket " + value + ": errno " + errno);
        }
        Bound bound = new Bound(fd, value);
        open.put(fd, new Open(bound, fits ? file : null, receiver));
        startOrWake();
        return bound;
    }

    /** Closes a socket (by the poller, see the class comment); its later datagrams go nowhere. */
    synchronized void close(Bound socket) {
        // the same Bound, not only the same number: a closed socket's number may be another's now
        Open o = open.get(socket.fd());
        if (o != null && o.bound() == socket && !closing.contains(socket.fd())) {
            closing.add(socket.fd());
            wake();
        }
    }

    static byte[] address(byte[] path, boolean isAbstract) {
        ByteBuffer b = ByteBuffer.allocate(2 + SUN_PATH).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_UNIX);
        if (isAbstract) {
            b.put((byte) 0);
        }
        b.put(path);
        return b.array();
    }

    private void startOrWake() {
        if (poller == null) {
            wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
            poller = new Thread(this::pollLoop, "jpm-notify");
            poller.setDaemon(true);
            poller.start();
        } else {
            wake();
        }
    }

    private void wake() {
        if (wakeFd >= 0) {
            byte[] one = ByteBuffer.allocate(8)
                    .order(ByteOrder.nativeOrder())
                    .putLong(1)
                    .array();
            write(wakeFd, one, 8);
        }
    }

    private void pollLoop() {
        byte[] buffer = new byte[DATAGRAM];
        while (true) {
            int[] fds;
            synchronized (this) {
                for (int fd : closing) {
                    Open o = open.remove(fd);
                    close(fd);
                    if (o != null && o.file() != null) {
                        try {
                            Files.deleteIfExists(o.file());
                        } catch (IOException e) {
                            LOG.fine(() -> "notify socket " + o.file() + " left behind: " + e.getMessage());
                        }
                    }
                }
                closing.clear();
                fds = open.keySet().stream().mapToInt(Integer::intValue).toArray();
            }
            ByteBuffer polls = ByteBuffer.allocate(8 * (fds.length + 1)).order(ByteOrder.nativeOrder());
            polls.putInt(wakeFd).putShort(POLLIN).putShort((short) 0);
            for (int fd : fds) {
                polls.putInt(fd).putShort(POLLIN).putShort((short) 0);
            }
            byte[] set = polls.array();
            if (poll(set, fds.length + 1, -1) < 0) {
                continue; // EINTR
            }
            ByteBuffer result = ByteBuffer.wrap(set).order(ByteOrder.nativeOrder());
            if ((result.getShort(6) & POLLIN) != 0) {
                // read(2), not recv(2): an eventfd is no socket, and a wake left unread would make every
                // poll return at once (this thread spun at 100% of a core from the second run on)
                read(wakeFd, buffer, 8);
            }
            for (int i = 0; i < fds.length; i++) {
                if (result.getShort(8 * (i + 1) + 6) != 0) {
                    drain(fds[i], buffer);
                }
            }
        }
    }

    private void drain(int fd, byte[] buffer) {
        Open o;
        synchronized (this) {
            o = open.get(fd);
        }
        long n;
        while (o != null && (n = recv(fd, buffer, buffer.length, 0)) > 0) {
            String message = new String(buffer, 0, (int) n, StandardCharsets.UTF_8);
            try {
                o.receiver().accept(message);
            } catch (RuntimeException e) {
                LOG.warning(() -> "notify message handler failed: " + e);
            }
        }
    }
}
