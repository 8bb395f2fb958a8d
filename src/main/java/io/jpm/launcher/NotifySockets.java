package io.jpm.launcher;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * systemd's notify sockets, one per run that waits to be ready: a Unix datagram socket whose path
 * goes to the app as {@code NOTIFY_SOCKET}, and which the app (or sd_notify(3), systemd-notify,
 * go-systemd, python's sdnotify...) sends {@code READY=1} to. The JDK has no Unix datagram
 * sockets (JEP 380 gave only stream ones), so these are libc's, through JNA like the rest of the
 * launcher. The daemon's first pump ({@link PumpPool}) watches them: no thread of their own. A
 * socket is read and closed on that pump's thread only, so its number is never reused under a wait
 * in progress.
 */
final class NotifySockets {
    private static final Logger LOG = Logger.getLogger("jpm.launcher");

    static {
        Native.register(NotifySockets.class, LibC.NAME);
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_NONBLOCK = 04000;
    private static final int SOCK_CLOEXEC = 02000000;
    /** sockaddr_un's sun_path, its terminating NUL included. */
    static final int SUN_PATH = 108;

    private static final int DATAGRAM = 4096;

    private static native int socket(int domain, int type, int protocol);

    private static native int bind(int fd, byte[] address, int length);

    private static native long recv(int fd, byte[] buffer, long length, int flags);

    private static native int close(int fd);

    private final Path dir;
    /** Where datagrams land: the pump's thread is the only reader. */
    private final byte[] buffer = new byte[DATAGRAM];

    /** @param dir where the sockets' files go (JPM_HOME/run or the private socket folder: only the daemon's user may reach them) */
    NotifySockets(Path dir) {
        this.dir = dir;
    }

    /** An open socket: its descriptor, the value for NOTIFY_SOCKET, and its registration with the pump. */
    record Bound(int fd, String notifySocket, Path file, long token) {}

    /**
     * Opens a socket named {@code name}, owner-only whatever the umask (an app of another user's
     * cannot tell the daemon an app is ready). Its folder is JPM_HOME/run, or the daemon's private
     * socket folder when JPM_HOME is too deep ({@code protocol.SocketFolder}): its path always fits.
     */
    Bound open(String name, Consumer<String> receiver) throws IOException {
        Path file = dir.resolve(name + ".sock");
        byte[] path = file.toString().getBytes(StandardCharsets.UTF_8);
        if (path.length >= SUN_PATH) {
            throw new IOException("the notify socket " + file + " is too long for a socket path");
        }
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("cannot make a notify socket: errno " + Native.getLastError());
        }
        Files.deleteIfExists(file);
        if (LibC.fchmod(fd, LibC.OWNER_ONLY_SOCKET) != 0 || bind(fd, address(path), 2 + path.length + 1) != 0) {
            int errno = Native.getLastError();
            close(fd);
            throw new IOException("cannot bind the notify socket " + file + ": errno " + errno);
        }
        Bound bound = new Bound(fd, file.toString(), file, PipePump.token());
        try {
            PumpPool.first().watch(fd, Epoll.EPOLLIN, bound.token(), events -> drain(fd, receiver));
        } catch (IllegalStateException e) {
            close(fd);
            throw new IOException("cannot watch the notify socket " + file + ": " + e.getMessage(), e);
        }
        return bound;
    }

    /** Closes a socket (on the pump's thread, see the class comment); its later datagrams go nowhere. */
    void close(Bound socket) {
        PumpPool.first().run(() -> {
            PumpPool.first().unwatch(socket.fd(), socket.token());
            close(socket.fd());
            if (socket.file() != null) {
                try {
                    Files.deleteIfExists(socket.file());
                } catch (IOException e) {
                    LOG.fine(() -> "notify socket " + socket.file() + " left behind: " + e.getMessage());
                }
            }
        });
    }

    /** A sockaddr_un for this path (it fits sun_path). */
    static byte[] address(byte[] path) {
        ByteBuffer b = ByteBuffer.allocate(2 + SUN_PATH).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_UNIX);
        b.put(path);
        return b.array();
    }

    /** On the pump's thread: every datagram that waits, to the socket's receiver. */
    private void drain(int fd, Consumer<String> receiver) {
        long n;
        while ((n = recv(fd, buffer, buffer.length, 0)) > 0) {
            String message = new String(buffer, 0, (int) n, StandardCharsets.UTF_8);
            try {
                receiver.accept(message);
            } catch (RuntimeException e) {
                LOG.warning(() -> "notify message handler failed: " + e);
            }
        }
    }
}
