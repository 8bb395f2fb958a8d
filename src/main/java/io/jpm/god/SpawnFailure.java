package io.jpm.god;

import io.jpm.protocol.BlockingCall;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Why a run could not be spawned, in words a user can act on: the OS's reason, and when it is the
 * limit on open files, which limit and its value. The daemon's own limit is read once, at the first
 * spawn's check, on the spawn's worker (a /proc read, never on God's loop), while descriptors are
 * still free: once the limit is reached, reading /proc/self/limits would need a descriptor too.
 */
class SpawnFailure {
    /** Descriptors no spawn may take: the daemon's own, for its doors, log files and /proc reads. */
    static final int KEPT_FOR_THE_DAEMON = 32;
    /**
     * What one spawn takes at most for a while (pipes and their journals, a pidfd, its log files,
     * the channels of a Node or socket-mode app), counted high: between two counts, spawns are
     * assumed to take this many each.
     */
    static final int MOST_PER_SPAWN = 16;
    /** Room for what else opens meanwhile (connections, files) before the next count. */
    static final int MARGIN = 256;

    private long freeAtLastCount;
    private long spawnsSinceCount;

    private static final long NOT_READ = -2;
    private static final Path OWN_LIMITS = Path.of("/proc/self/limits");

    /** The daemon's soft limit on open files (ulimit -n), -1 when unknown, {@link #NOT_READ} before the first check. */
    private volatile long openFileLimit;

    SpawnFailure(long openFileLimit) {
        this.openFileLimit = openFileLimit;
    }

    static SpawnFailure ofThisProcess() {
        return new SpawnFailure(NOT_READ);
    }

    /**
     * Refuses a spawn, as the OS would with EMFILE, when fewer than {@link #KEPT_FOR_THE_DAEMON}
     * descriptors would be left: apps started up to the very limit left the daemon none to accept
     * the next command with, or to open a log file, and `jpm ls` right after such a start failed
     * with a reset connection (seen in CI). Blocking (lists /proc/self/fd): call it from a worker.
     */
    void checkReserve() throws IOException {
        if (openFileLimit == NOT_READ) {
            openFileLimit = openFileLimit(OWN_LIMITS);
        }
        if (openFileLimit < 0) {
            return;
        }
        synchronized (this) { // spawns run on several workers
            // listing /proc/self/fd costs in proportion to what is open (thousands with 1,000 apps):
            // skipped while the last count leaves room for every spawn since, at their most each
            if (freeAtLastCount - (long) MOST_PER_SPAWN * spawnsSinceCount > KEPT_FOR_THE_DAEMON + MARGIN) {
                spawnsSinceCount++;
                return;
            }
        }
        long free = openFileLimit - openDescriptors();
        synchronized (this) {
            freeAtLastCount = free;
            spawnsSinceCount = 1;
        }
        if (free < KEPT_FOR_THE_DAEMON) {
            throw new IOException("Too many open files");
        }
    }

    /** The descriptors this process has open; the limit itself when not even one is left to count them with. */
    long openDescriptors() {
        BlockingCall.check("a listing of /proc/self/fd");
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            long open = 0;
            for (Path ignored : fds) {
                open++;
            }
            return open;
        } catch (IOException e) {
            return openFileLimit;
        }
    }

    /** {@code spawn failed: <the OS's reason>}, with the limit reached when it is one (EMFILE, ENFILE). */
    String reason(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        if (message.contains("Too many open files in system")) {
            return "spawn failed: " + message + " (the system's limit, fs.file-max, is reached)";
        }
        if (message.contains("Too many open files")) {
            return "spawn failed: " + message + " (the daemon's ulimit -n is "
                    + (openFileLimit < 0 ? "reached" : Long.toString(openFileLimit)) + ")";
        }
        return "spawn failed: " + message;
    }

    /** The soft "Max open files" of a /proc/<pid>/limits file, or -1. */
    static long openFileLimit(Path limits) {
        BlockingCall.check("a read of " + limits);
        try {
            for (String line : Files.readAllLines(limits)) {
                if (line.startsWith("Max open files")) {
                    String soft =
                            line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return "unlimited".equals(soft) ? -1 : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown: the reason is told without the number
        }
        return -1;
    }
}
