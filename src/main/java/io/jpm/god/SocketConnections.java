package io.jpm.god;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How many connections a socket-mode instance holds on its shared ports: the kernel hands them
 * out, so the daemon never sees them; it counts the established TCP sockets of the process (its
 * descriptors' socket inodes) whose local port is a shared one, from /proc. Shown in describe as
 * the spread of connections over the instances.
 */
final class SocketConnections {
    private static final String ESTABLISHED = "01";

    private SocketConnections() {}

    /** The count, or -1 when /proc cannot tell (the process is gone, or another user's). */
    static int count(int pid, Set<Integer> ports) {
        if (ports.isEmpty()) {
            return 0;
        }
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Integer.toString(pid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed while listed
                }
            });
        } catch (IOException e) {
            return -1;
        }
        int n = 0;
        for (String table : List.of("tcp", "tcp6")) {
            try (Stream<String> lines = Files.lines(Path.of("/proc", Integer.toString(pid), "net", table))) {
                n += (int) lines.skip(1)
                        .filter(line -> established(line, ports, inodes))
                        .count();
            } catch (IOException | UncheckedIOException e) {
                // no IPv6 here
            }
        }
        return n;
    }

    /** A line of /proc/net/tcp: "sl local_address rem_address st ... uid timeout inode ...". */
    private static boolean established(String line, Set<Integer> ports, Set<String> inodes) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10 || !ESTABLISHED.equals(f[3])) {
            return false;
        }
        int colon = f[1].lastIndexOf(':');
        int port = Integer.parseInt(f[1].substring(colon + 1), 16);
        return ports.contains(port) && inodes.contains(f[9]);
    }
}
