package io.jpm.god;

import io.jpm.protocol.BlockingCall;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
 * host) for each instance: on God's event loop it made every list with one {@code -i 2} Node app
 * cost 27 ms instead of 4 (issue 42). So the counts are made on a worker and a list is given the
 * last ones: a count younger than {@link #FRESH_MS} is served as it is, an older one is served while
 * the next is made, and only a list that names a run with no count yet, or whose counts are older
 * than {@link #STALE_MS} (the first look in a while), waits for the next (off the loop). One count
 * covers every socket-mode run of the table, so what is kept is bounded by the table.
 */
final class SocketConnections {
    /** Counts younger than this are listed without a new count. */
    static final long FRESH_MS = 1000;
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
        Future<Void> count = vertx.executeBlocking(
                        () -> {
                            Map<Integer, Long> n = new HashMap<>();
                            runs.forEach((pid, ports) -> n.put(pid, (long) count(pid, ports)));
                            return n;
                        },
                        false)
                .map(n -> {
                    counts = n;
                    countedAt = startedAt;
                    return null;
                });
        counting = count;
        count.onComplete(ar -> counting = null);
        return count;
    }

    /** The count, or -1 when /proc cannot tell (the process is gone, or another user's). */
    static int count(int pid, Set<Integer> ports) {
        BlockingCall.check("a read of /proc/" + pid + "/fd and /proc/" + pid + "/net/tcp");
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
