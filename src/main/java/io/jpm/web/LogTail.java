package io.jpm.web;

import io.jpm.protocol.BlockingCall;
import io.jpm.protocol.LastLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The last lines of a log file ({@link LastLines}: read backwards from its end in blocks, so a
 * 1 GiB log costs what its last lines cost). Blocking: called on a worker thread.
 */
final class LogTail {
    /** More than a browser or a terminal wants to show at once. */
    static final int MAX_LINES = LastLines.MAX_LINES;

    private LogTail() {}

    static List<String> last(String file, int lines) throws IOException {
        BlockingCall.check("a read of " + file);
        if (file == null || lines <= 0 || "/dev/null".equals(file) || !Files.isRegularFile(Path.of(file))) {
            return List.of();
        }
        return LastLines.of(Path.of(file), lines);
    }
}
