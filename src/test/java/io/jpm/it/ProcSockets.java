package io.jpm.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a process holds, from /proc: its descriptors, and how many of its TCP sockets are in
 * CLOSE_WAIT (the peer closed, the process has not). /proc/&lt;pid&gt;/net/tcp and tcp6 list the
 * whole network namespace, so a socket is the process's own when its inode is one of its descriptors'.
 */
final class ProcSockets {
    private static final String CLOSE_WAIT = "08";

    private ProcSockets() {}

    static int descriptors(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int closeWait(long pid) {
        return closeWaitByLocalPort(pid).values().stream()
                .mapToInt(Integer::intValue)
                .sum();
    }

    /** The process's TCP sockets in CLOSE_WAIT, counted by their local port (what it listens on, when accepted). */
    static Map<Integer, Integer> closeWaitByLocalPort(long pid) {
        Set<String> own = socketInodes(pid);
        // by inode: the kernel writes the table in chunks, and when it has grown since the last one (a
        // churn leaves thousands of TIME_WAIT entries a second) its reader finds the end gone, seeks by
        // count from the start again and prints the last entries a second time (tcp_seq_start in
        // net/ipv4/tcp_ipv4.c): a CI run counted 195 lines where the daemon's descriptors left room for 176
        Map<Integer, Set<String>> inodes = new TreeMap<>();
        for (String table : List.of("tcp", "tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table));
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals(CLOSE_WAIT) && own.contains(fields[9])) {
                    String local = fields[1];
                    inodes.computeIfAbsent(
                                    Integer.parseInt(local.substring(local.indexOf(':') + 1), 16),
                                    port -> new HashSet<>())
                            .add(fields[9]);
                }
            }
        }
        Map<Integer, Integer> count = new TreeMap<>();
        inodes.forEach((port, each) -> count.put(port, each.size()));
        return count;
    }

    private static Set<String> socketInodes(long pid) {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        inodes.add(link.substring(8, link.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inodes;
    }
}
