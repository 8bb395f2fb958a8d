package io.jpm.god;

import io.jpm.protocol.BlockingCall;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How many connections each socket-mode instance holds on its shared ports: the kernel hands them
 * out, so the daemon never sees them; a count reads the established TCP sockets of the process (its
 * descriptors' socket inodes) whose local port is a shared one, from /proc. Shown in describe and
 * jlist as the spread of connections over the instances.
 *
 * <p>A count reads /proc/&lt;pid&gt;/fd and the whole of /proc/&lt;pid&gt;/net/tcp (every TCP socket of the
 * host) for each instance: file reads that must not run on God's event loop, where they would hold every
 * list and every command queued behind it. So the counts are made on a worker and a list is given the
 * last ones: a count younger than {@link #FRESH_MS} is served as it is, an older one is served while
 * the next is made, and only a list that names a run with no count yet, or whose counts are older
 * than {@link #STALE_MS} (the first look in a while), waits for the next (off the loop). One count
 * covers every socket-mode run of the table, so what is kept is bounded by the table.
 */
final class SocketConnections {
    /**
     * Counts younger than this are listed without a new count: a count reads the host's whole TCP
     * tables, ~40 ms of a core with 6,000 sockets here, so a dashboard polling each second asks for
     * one every 5 s, not every second.
     */
    static final long FRESH_MS = 5000;
    /** Counts older than this are not listed: a new one is waited for. */
    static final long STALE_MS = 10_000;

    private static final String ESTABLISHED = "01";

    private final Vertx vertx;
    /** The last count, by pid. */
    private Map<Integer, Long> counts = Map.of();
    /** When the last count started (System.nanoTime). */
    private long countedAt;

    private Future<Void> counting;

    SocketConnections(Vertx vertx) {
        this.vertx = vertx;
    }

    /** The connections of run {@code pid} at the last count; null when it was not counted. */
    Long of(int pid) {
        return counts.get(pid);
    }

    /**
     * Before a list or describe that shows the counts: done at once when the last count has the runs
     * {@code asked} and is not stale, counting again in the background when it is no longer fresh;
     * else once a new count is in.
     *
     * @param all every socket-mode run of the table: its pid and its shared ports
     * @param asked the runs the list shows
     */
    Future<Void> fresh(Map<Integer, Set<Integer>> all, Collection<Integer> asked) {
        if (all.isEmpty()) {
            counts = Map.of();
            return Future.succeededFuture();
        }
        long ageMs = (System.nanoTime() - countedAt) / 1_000_000;
        boolean usable = counts.keySet().containsAll(asked) && ageMs < STALE_MS;
        if (usable && ageMs < FRESH_MS) {
            return Future.succeededFuture();
        }
        Future<Void> next = count(all);
        return usable ? Future.succeededFuture() : next.otherwiseEmpty();
    }

    /** A count of every run in {@code all} on a worker, or the one under way. */
    private Future<Void> count(Map<Integer, Set<Integer>> all) {
        if (counting != null) {
            return counting;
        }
        Map<Integer, Set<Integer>> runs = Map.copyOf(all);
        long startedAt = System.nanoTime();
        Future<Void> count = vertx.executeBlocking(() -> countAll(runs), false).map(n -> {
            counts = n;
            countedAt = startedAt;
            return null;
        });
        counting = count;
        count.onComplete(ar -> counting = null);
        return count;
    }

    /**
     * The count of each run: its socket inodes from /proc/&lt;pid&gt;/fd, then the TCP tables of its
     * network namespace, each read once for all the runs in it (the tables list every socket of the
     * host: 18,000 lines here with other programs' connections), -1 for a run /proc cannot tell.
     */
    static Map<Integer, Long> countAll(Map<Integer, Set<Integer>> runs) {
        BlockingCall.check("a read of /proc/<pid>/fd and /proc/<pid>/net/tcp");
        Map<Integer, Long> counts = new HashMap<>();
        Map<String, Integer> owners = new HashMap<>(); // socket inode -> pid
        Map<String, Integer> namespaces = new HashMap<>(); // network namespace -> a pid in it
        runs.forEach((pid, ports) -> {
            if (ports.isEmpty()) {
                counts.put(pid, 0L);
            } else if (socketInodes(pid, owners)) {
                counts.put(pid, 0L);
                namespaces.putIfAbsent(namespaceOf(pid), pid);
            } else {
                counts.put(pid, -1L);
            }
        });
        for (int reader : namespaces.values()) {
            for (String table : List.of("tcp", "tcp6")) {
                try (BufferedReader lines =
                        Files.newBufferedReader(Path.of("/proc", Integer.toString(reader), "net", table))) {
                    lines.readLine(); // the header
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        Integer pid = establishedOwner(line, owners);
                        if (pid != null && runs.get(pid).contains(localPort(line))) {
                            counts.merge(pid, 1L, Long::sum);
                        }
                    }
                } catch (IOException | UncheckedIOException e) {
                    // no IPv6 here, or the process ended: its count stays what was found
                }
            }
        }
        return counts;
    }

    /** Adds the socket inodes of {@code pid}'s descriptors to {@code owners}; false when /proc cannot tell. */
    private static boolean socketInodes(int pid, Map<String, Integer> owners) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Integer.toString(pid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        owners.put(target.substring(8, target.length() - 1), pid);
                    }
                } catch (IOException e) {
                    // closed while listed
                }
            });
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private static String namespaceOf(int pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "ns", "net"))
                    .toString();
        } catch (IOException e) {
            return "pid " + pid; // unknown: its own tables
        }
    }

    /** The count for one run ({@link #countAll} for several). */
    static int count(int pid, Set<Integer> ports) {
        return countAll(Map.of(pid, ports)).get(pid).intValue();
    }

    /**
     * A line of /proc/net/tcp: "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout
     * inode ...". The owner of the socket when it is established and one of ours, else null; fields
     * found by hand (a split by a regular expression of each of thousands of lines cost most of a count).
     */
    private static Integer establishedOwner(String line, Map<String, Integer> owners) {
        int[] at = new int[2];
        if (!field(line, 3, at) || !line.startsWith(ESTABLISHED, at[0]) || at[1] - at[0] != 2) {
            return null;
        }
        return field(line, 9, at) ? owners.get(line.substring(at[0], at[1])) : null;
    }

    /** The local port of a line whose fields {@link #establishedOwner} found: after the ':' of field 1. */
    private static int localPort(String line) {
        int[] at = new int[2];
        field(line, 1, at);
        int colon = line.lastIndexOf(':', at[1] - 1);
        return Integer.parseInt(line, colon + 1, at[1], 16);
    }

    /** Where field {@code n} (0-based, separated by spaces) of {@code line} starts and ends, in {@code at}. */
    private static boolean field(String line, int n, int[] at) {
        int i = 0;
        int length = line.length();
        for (int f = 0; ; f++) {
            while (i < length && line.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < length && line.charAt(i) != ' ') {
                i++;
            }
            if (start == i) {
                return false;
            }
            if (f == n) {
                at[0] = start;
                at[1] = i;
                return true;
            }
        }
    }
}
