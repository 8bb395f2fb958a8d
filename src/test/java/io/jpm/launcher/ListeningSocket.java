package io.jpm.launcher;

import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A TCP listening socket on 127.0.0.1 made with libc, as the daemon will make the one it shares:
 * its descriptor number is what the launcher is given (the JDK hides a channel's number).
 */
final class ListeningSocket implements AutoCloseable {
    static {
        Native.register("c");
    }

    private static final int AF_INET = 2;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 02000000;

    private static native int socket(int domain, int type, int protocol);

    private static native int bind(int fd, byte[] address, int length);

    private static native int listen(int fd, int backlog);

    private static native int getsockname(int fd, byte[] address, int[] length);

    private static native int close(int fd);

    final int fd;
    final int port;

    ListeningSocket() {
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IllegalStateException("socket: errno " + Native.getLastError());
        }
        byte[] address = ByteBuffer.allocate(16)
                .order(ByteOrder.nativeOrder())
                .putShort((short) AF_INET)
                .order(ByteOrder.BIG_ENDIAN)
                .putShort((short) 0)
                .put(new byte[] {127, 0, 0, 1})
                .array();
        if (bind(fd, address, 16) != 0 || listen(fd, 128) != 0) {
            int errno = Native.getLastError();
            close(fd);
            throw new IllegalStateException("bind/listen: errno " + errno);
        }
        int[] length = {16};
        getsockname(fd, address, length);
        port = ByteBuffer.wrap(address, 2, 2).order(ByteOrder.BIG_ENDIAN).getShort() & 0xffff;
    }

    @Override
    public void close() {
        close(fd);
    }
}
