package io.jpm.balancer;

import io.jpm.protocol.BlockingCall;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whose socket listens on a port, read from /proc. A balanced instance's private port is picked
 * free by the daemon and bound by the app seconds later (a JVM); another process may bind it in
 * between, and then a probe that connects reaches that process, not the instance. So an instance
 * is ready when the listener on its port is held by its own process or another of its session
 * (jpm starts each app in a session of its own: a wrapper script's child counts). Blocking: call
 * off the event loop.
 */
final class PortListener {
    /** What /proc says of the listener on a port. */
    enum Holder {
        /** The instance's process, or one of its session, holds it. */
        INSTANCE,
        /** Every process of the instance's session was looked at: none holds it. */
        ANOTHER,
        /** Not known: no listener seen here (another network namespace) or a process we may not read. */
        UNKNOWN
    }

    private static final String TCP_LISTEN = "0A";

    private final Path proc;

    PortListener() {
        this(Path.of("/proc"));
    }

    PortListener(Path proc) {
        this.proc = proc;
    }

    /** Who holds the socket listening on {@code port} (any local address), as seen from {@code pid}. */
    Holder holderOf(int port, int pid) {
        BlockingCall.check("a read of /proc/net/tcp and /proc/<pid>/fd");
        Set<String> sockets = listeningSockets(port);
        if (sockets.isEmpty()) {
            return Holder.UNKNOWN;
        }
        // the pid first (the usual holder); the rest of its session only when it does not hold it
        Holder byPid = lookIn(List.of(pid), sockets);
        if (byPid == Holder.INSTANCE) {
            return byPid;
        }
        Holder bySession = lookIn(restOfSession(pid), sockets);
        return bySession == Holder.ANOTHER ? byPid : bySession;
    }

    private Holder lookIn(List<Integer> pids, Set<String> sockets) {
        boolean unreadable = false;
        for (int candidate : pids) {
            try {
                if (holdsAny(candidate, sockets)) {
                    return Holder.INSTANCE;
                }
            } catch (AccessDeniedException e) {
                unreadable = true;
            } catch (IOException e) {
                // gone meanwhile: it holds nothing
            }
        }
        return unreadable ? Holder.UNKNOWN : Holder.ANOTHER;
    }

    /** "socket:[inode]" of each socket listening on the port, from the IPv4 and IPv6 tables. */
    private Set<String> listeningSockets(int port) {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        Set<String> found = new HashSet<>();
        for (String table : List.of("net/tcp", "net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(proc.resolve(table));
            } catch (IOException e) {
                continue; // no IPv6 here
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[1].endsWith(hexPort) && f[3].equals(TCP_LISTEN)) {
                    found.add("socket:[" + f[9] + "]");
                }
            }
        }
        return found;
    }

    /** Every process but {@code pid} whose session is {@code pid}. */
    private List<Integer> restOfSession(int pid) {
        List<Integer> session = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(proc, "[0-9]*")) {
            for (Path dir : all) {
                int other = Integer.parseInt(dir.getFileName().toString());
                if (other != pid && sessionId(dir) == pid) {
                    session.add(other);
                }
            }
        } catch (IOException e) {
            // the pid alone, then
        }
        return session;
    }

    /** Field 6 of /proc/<pid>/stat, after the command name (which may hold spaces and parentheses). */
    private static int sessionId(Path dir) {
        try {
            String stat = Files.readString(dir.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 5);
            return Integer.parseInt(f[3]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private boolean holdsAny(int pid, Set<String> sockets) throws IOException {
        Path fds = proc.resolve(Integer.toString(pid)).resolve("fd");
        try (DirectoryStream<Path> all = Files.newDirectoryStream(fds)) {
            for (Path fd : all) {
                try {
                    if (sockets.contains(Files.readSymbolicLink(fd).toString())) {
                        return true;
                    }
                } catch (NoSuchFileException e) {
                    // closed meanwhile
                }
            }
        }
        return false;
    }
}
