package io.jpm.launcher;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import io.jpm.protocol.BlockingCall;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Opens the listening sockets that socket mode shares between an app's instances (docs/CONFIG.md,
 * "Balancing"): the daemon binds the app's address once and passes the same socket to every
 * instance, so the kernel hands each connection to one of them and no byte goes through the daemon.
 *
 * <p>Through libc rather than the JDK: a child can inherit only a real descriptor number, which
 * the JDK's channels do not give. The socket is close-on-exec (it reaches an instance only by
 * posix_spawn's dup2 or over a Node IPC pipe) and non-blocking: every instance shares its one open
 * file, so O_NONBLOCK is the same for all of them, and a Node app that gets the socket over its IPC
 * pipe does not set it (libuv assumes a received socket is non-blocking). Blocking, the instances
 * that lost the race for a connection woke them all for would sit in accept(2) with their event
 * loops stalled until the next connection came. systemd's default is blocking, but servers that
 * take a socket (gunicorn, uvicorn, Go, Python's socketserver) set or accept either.
 */
public final class ListeningSockets {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_REUSEADDR = 2;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_V6ONLY = 26;
    /** Node's and nginx's default backlog (the kernel caps it at net.core.somaxconn). */
    public static final int DEFAULT_BACKLOG = 511;

    private ListeningSockets() {}

    /**
     * A socket listening on {@code host}:{@code port} ({@code port} 0: one the kernel picks).
     * {@code ::} listens on IPv4 too, as Node does for a listen() without a host.
     *
     * @return its descriptor, which the caller closes with {@link #close}
     * @throws IOException naming the address and the reason (in use, no permission, not this host's)
     */
    public static int open(String host, int port, int backlog) throws IOException {
        BlockingCall.check("a lookup of " + host + " and a bind");
        InetAddress address = InetAddress.getByName(host);
        boolean v6 = address instanceof Inet6Address;
        int fd = LibC.socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException(
                    "cannot make a socket for " + where(host, port) + ": " + LibC.strerror(Native.getLastError()));
        }
        try {
            // a restarted daemon rebinds at once although the last run's connections are in TIME_WAIT
            LibC.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, new int[] {1}, 4);
            if (v6 && address.isAnyLocalAddress()) {
                LibC.setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, new int[] {0}, 4);
            }
            Memory sockaddr = sockaddr(address, port);
            if (LibC.bind(fd, sockaddr, (int) sockaddr.size()) != 0) {
                throw new IOException(bindProblem(Native.getLastError(), host, port));
            }
            if (LibC.listen(fd, backlog) != 0) {
                throw new IOException(
                        "cannot listen on " + where(host, port) + ": " + LibC.strerror(Native.getLastError()));
            }
            if (LibC.fcntl(fd, LibC.F_SETFL, LibC.O_NONBLOCK) != 0) {
                throw new IOException(
                        "cannot make " + where(host, port) + " non-blocking: " + LibC.strerror(Native.getLastError()));
            }
            return fd;
        } catch (IOException | RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    /**
     * A listening socket this process inherited from its keeper (a previous daemon opened it, and the
     * instances that still serve from it hold it): made close-on-exec again, as {@link #open} makes its own.
     *
     * @throws IOException when {@code fd} is not a socket bound to a port here
     */
    public static int inherited(int fd) throws IOException {
        if (boundPort(fd) <= 0 || LibC.fcntl(fd, LibC.F_SETFD, LibC.FD_CLOEXEC) != 0) {
            throw new IOException(
                    "descriptor " + fd + " is not a bound socket: " + LibC.strerror(Native.getLastError()));
        }
        return fd;
    }

    /** The port a socket is bound to (the kernel's pick for port 0), or -1. */
    public static int boundPort(int fd) {
        Memory sockaddr = new Memory(28);
        int[] length = {28};
        if (LibC.getsockname(fd, sockaddr, length) != 0) {
            return -1;
        }
        return ((sockaddr.getByte(2) & 0xff) << 8) | (sockaddr.getByte(3) & 0xff);
    }

    public static void close(int fd) {
        LibC.close(fd);
    }

    /**
     * A second descriptor of the same socket, close-on-exec: one a network library may own and close
     * while this process keeps the socket (its queue) with the first.
     *
     * @throws IOException when the descriptor cannot be duplicated (too many open files)
     */
    public static int duplicate(int fd) throws IOException {
        int copy = LibC.fcntl(fd, LibC.F_DUPFD_CLOEXEC, 0);
        if (copy < 0) {
            throw new IOException("cannot duplicate descriptor " + fd + ": " + LibC.strerror(Native.getLastError()));
        }
        return copy;
    }

    private static String bindProblem(int errno, String host, int port) {
        return switch (errno) {
            case LibC.EADDRINUSE -> where(host, port) + " is already in use by another process";
            case LibC.EACCES -> where(host, port) + ": permission denied (a port below "
                    + "1024 needs root or CAP_NET_BIND_SERVICE)";
            case LibC.EADDRNOTAVAIL -> where(host, port) + ": " + host + " is not an address of this host";
            default -> "cannot bind " + where(host, port) + ": " + LibC.strerror(errno);
        };
    }

    private static String where(String host, int port) {
        return "port " + port + " on " + host;
    }

    /** sockaddr_in or sockaddr_in6, the port in network order. */
    private static Memory sockaddr(InetAddress address, int port) {
        byte[] ip = address.getAddress();
        boolean v6 = address instanceof Inet6Address;
        Memory m = new Memory(v6 ? 28 : 16);
        m.clear();
        m.setShort(0, (short) (v6 ? AF_INET6 : AF_INET));
        m.setByte(2, (byte) (port >> 8));
        m.setByte(3, (byte) port);
        if (v6) {
            m.write(8, ip, 0, 16);
            m.setInt(24, ((Inet6Address) address).getScopeId());
        } else {
            m.write(4, ip, 0, 4);
        }
        return m;
    }
}
