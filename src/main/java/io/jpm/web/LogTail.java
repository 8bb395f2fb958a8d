package io.jpm.web;

import io.jpm.protocol.BlockingCall;
import io.jpm.protocol.LastLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The last lines of a log file ({@link LastLines}: read backwards from its end in blocks, so a
 * 1 GiB log costs what its last lines cost, and a huge line is cut to its ends). Blocking: called
 * on a worker thread.
 */
final class LogTail {
    /** More than a browser or a terminal wants to show at once. */
    static final int MAX_LINES = LastLines.MAX_LINES;
    /** The most bytes of lines one answer carries, all its files together. */
    static final int MAX_BYTES = LastLines.MAX_BYTES;

    private static final LastLines NONE = new LastLines(List.of(), 0, false);

    private LogTail() {}

    /** The last lines within {@code maxBytes}: the newest kept, how many older ones left out. */
    static LastLines last(String file, int lines, long maxBytes) throws IOException {
        BlockingCall.check("a read of " + file);
        if (file == null || lines <= 0 || "/dev/null".equals(file) || !Files.isRegularFile(Path.of(file))) {
            return NONE;
        }
        return LastLines.read(Path.of(file), lines, maxBytes);
    }
}
