package io.jpm.cli.transport;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The lines of daemon.log written since a client spawned a daemon: the daemon's own reason for a
 * start it refused, and the keeper's word on how that first start ended.
 */
final class StartLog {
    /** What DaemonMain logs before it exits on a start it refuses. */
    private static final String FAILED_TO_START = "daemon failed to start: ";
    /** What jpm-keeper.pl logs when its first daemon ends before it answered, then exits. */
    private static final String KEEPER_SAW = "jpm.keeper: the first daemon ended at start (";
    /** An exception no handler of the daemon caught: the JVM prints its stack, the cause last. */
    private static final String CAUSED_BY = "Caused by: ";
    /** An exception out of main with no cause: the JVM's first line of its stack. */
    private static final String UNCAUGHT = "Exception in thread \"main\" ";
    /** The java launcher's own refusal ("Error: Could not find or load main class ..."). */
    private static final String JVM_ERROR = "Error: ";

    private final Path log;
    private final long offset;

    StartLog(Path log, long offset) {
        this.log = log;
        this.offset = offset;
    }

    /**
     * The daemon's reason as {@code ": <why>"}; else what the JVM said when it ended before the
     * daemon could (the last {@code Caused by:} of an uncaught exception, or the launcher's
     * {@code Error: ...}); empty when neither wrote anything.
     */
    String whyItFailed() {
        String why = lastAfter(FAILED_TO_START);
        if (why == null) {
            why = lastAfter(CAUSED_BY);
        }
        if (why == null) {
            why = lastAfter(UNCAUGHT);
        }
        if (why == null) {
            why = lastAfter(JVM_ERROR);
        }
        return why == null ? "" : ": " + why;
    }

    /**
     * The keeper's exit code for a first daemon that ended at start (its exit code, or 128 + the
     * signal that ended it: what the keeper exits with); null when the keeper has not said so.
     */
    Integer keeperExitCode() {
        String how = lastAfter(KEEPER_SAW); // "exit code 1)" or "signal 9)"
        if (how == null) {
            return null;
        }
        try {
            String number = how.substring(how.lastIndexOf(' ') + 1, how.indexOf(')'));
            return how.startsWith("signal") ? 128 + Integer.parseInt(number) : Integer.parseInt(number);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** What follows {@code marker} on the last line since the offset that holds it; null if none. */
    private String lastAfter(String marker) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            file.seek(Math.min(offset, file.length()));
            String found = null;
            for (String line = file.readLine(); line != null; line = file.readLine()) {
                int at = line.indexOf(marker);
                if (at >= 0) {
                    // readLine gives one char per byte: the log is UTF-8
                    found = new String(
                            line.substring(at + marker.length()).getBytes(StandardCharsets.ISO_8859_1),
                            StandardCharsets.UTF_8);
                }
            }
            return found;
        } catch (IOException e) {
            return null;
        }
    }
}
