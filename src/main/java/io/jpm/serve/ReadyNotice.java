package io.jpm.serve;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Tells whoever runs the server that it serves: systemd's {@code READY=1} to the Unix datagram socket
 * that {@code NOTIFY_SOCKET} names, which is how jpm's {@code wait_ready} hears from an app in any
 * language. The serve app waits for it, so {@code jpm serve} (and a start, a restart) answers once
 * requests are answered, not while the JVM is still starting: a script that runs {@code serve} and
 * then fetches a page finds it. The JDK has no Unix datagram socket: libc through JNA.
 */
final class ReadyNotice {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    /** sockaddr_un's sun_path, its terminating NUL included. */
    private static final int SUN_PATH = 108;

    static {
        Native.register(ReadyNotice.class, libc());
    }

    private ReadyNotice() {}

    /** glibc's by its soname, which JNA opens without running ldconfig; plain "c" elsewhere. */
    private static String libc() {
        try {
            NativeLibrary.getInstance("libc.so.6");
            return "libc.so.6";
        } catch (UnsatisfiedLinkError e) {
            return "c";
        }
    }

    private static native int socket(int domain, int type, int protocol);

    private static native long sendto(
            int fd, byte[] message, long length, int flags, byte[] address, int addressLength);

    private static native int close(int fd);

    /**
     * Sends {@code READY=1} to {@code socket} (a path, or {@code @name} in the abstract namespace);
     * nothing when it is null or empty (not run by a manager that listens).
     *
     * @return null when sent or not asked for, else why it could not be (the manager then waits its
     *     listen_timeout, as for an app that says nothing)
     */
    static String send(String socket) {
        if (socket == null || socket.isEmpty()) {
            return null;
        }
        byte[] path = socket.getBytes(StandardCharsets.UTF_8);
        if (path.length >= SUN_PATH) {
            return "NOTIFY_SOCKET " + socket + " is too long for a socket path";
        }
        if (path[0] == '@') {
            path[0] = 0; // the abstract namespace, as systemd reads a leading @
        }
        ByteBuffer address = ByteBuffer.allocate(2 + SUN_PATH).order(ByteOrder.nativeOrder());
        address.putShort((short) AF_UNIX);
        address.put(path);
        byte[] message = "READY=1".getBytes(StandardCharsets.US_ASCII);
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return "cannot make a socket to say ready: errno " + Native.getLastError();
        }
        try {
            long sent = sendto(fd, message, message.length, 0, address.array(), 2 + path.length);
            return sent == message.length ? null : "cannot say ready to " + socket + ": errno " + Native.getLastError();
        } finally {
            close(fd);
        }
    }
}
