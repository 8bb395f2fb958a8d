package io.jpm.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The last lines of a log file: what {@code jpm logs} shows before its live lines, read by the CLI
 * from a local file ({@link #each}: one line held at a time, any count) and by the daemon for the
 * HTTP routes and {@link Addresses#QUERY_LOGS} ({@link #read}: within a byte budget). Whatever the
 * file holds, a reader holds little of it: the file is searched backwards in 64 KiB blocks for the
 * lines' start, then read forwards through a {@link LineCutter}, so a line longer than
 * {@link LineCutter#LINE_BYTES} shows its two ends and how many bytes were left out. The start of a
 * line is looked for at most {@link #LINE_SCAN} bytes back from its end: a line longer than that
 * shows its end after a "more than" marker, and the lines before it are not reached.
 *
 * @param lines the lines, oldest first, without their newlines
 * @param dropped how many older lines the byte budget left out
 * @param truncated fewer lines than asked: the budget left some out, or a line too long to find its
 *     start hid the ones before it
 */
public record LastLines(List<String> lines, int dropped, boolean truncated) {
    /** The most lines a remote client gets of one file. */
    public static final int MAX_LINES = 10_000;
    /** The most bytes a remote client gets of all its files together (one event-bus reply, one HTTP answer). */
    public static final int MAX_BYTES = 1024 * 1024;
    /** How far back from its end a line's start is looked for. */
    static final long LINE_SCAN = 256L * 1024 * 1024;

    private static final int BLOCK = 64 * 1024;

    /** The last {@code n} lines of {@code path}, oldest first, each cut as {@link LineCutter} does. */
    public static List<String> of(Path path, int n) throws IOException {
        List<String> lines = new ArrayList<>();
        each(path, n, lines::add);
        return lines;
    }

    /** Passes the last {@code n} lines of {@code path} to {@code each}, oldest first, holding one at a time. */
    public static void each(Path path, int n, Consumer<String> each) throws IOException {
        scan(path, n, LINE_SCAN, LineCutter.LINE_BYTES, each);
    }

    /**
     * The last {@code n} lines of {@code path} within about {@code maxBytes} of text: the newest are
     * kept, and a line is cut to fit the budget when it is shorter than {@link LineCutter#LINE_BYTES}.
     */
    public static LastLines read(Path path, int n, long maxBytes) throws IOException {
        return read(path, n, maxBytes, LINE_SCAN);
    }

    static LastLines read(Path path, int n, long maxBytes, long lineScan) throws IOException {
        int lineBytes = (int) Math.max(256, Math.min(LineCutter.LINE_BYTES, maxBytes));
        ArrayDeque<String> kept = new ArrayDeque<>();
        long[] bytes = {0};
        int[] dropped = {0};
        boolean reachedStart = scan(path, n, lineScan, lineBytes, line -> {
            kept.addLast(line);
            bytes[0] += utf8Length(line);
            while (bytes[0] > maxBytes && kept.size() > 1) {
                bytes[0] -= utf8Length(kept.removeFirst());
                dropped[0]++;
            }
        });
        return new LastLines(new ArrayList<>(kept), dropped[0], dropped[0] > 0 || !reachedStart);
    }

    /** Feeds the last lines to the sink; false when a line's start lay beyond {@code lineScan}. */
    static boolean scan(Path path, int n, long lineScan, int lineBytes, Consumer<String> sink) throws IOException {
        BlockingCall.check("a read of " + path);
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer block = ByteBuffer.allocate(BLOCK);
            long end = file.size();
            // a final newline ends the last line; it does not start an empty one
            long limit = end > 0 && byteAt(file, end - 1, block) == '\n' ? end - 1 : end;
            if (n == 0 || limit == 0) {
                return true;
            }
            long start = start(file, n, limit, lineScan, block);
            boolean midLine = start < 0;
            start = Math.abs(start) - (midLine ? 1 : 0);
            LineCutter cutter = new LineCutter(lineBytes, sink);
            if (midLine) {
                cutter.startUnknown();
            }
            for (long at = start; at < limit; ) {
                block.clear().limit((int) Math.min(BLOCK, limit - at));
                int read = file.read(block, at);
                if (read <= 0) {
                    break; // the file was cut meanwhile (a flush)
                }
                cutter.feed(block.array(), 0, read);
                at += read;
            }
            cutter.finish();
            return !midLine;
        }
    }

    /**
     * Where the last {@code n} lines before {@code limit} start; {@code -(offset + 1)} when the
     * oldest one reached began more than {@code lineScan} bytes before its end (offset: where the
     * search stopped, in its middle).
     */
    private static long start(FileChannel file, int n, long limit, long lineScan, ByteBuffer block) throws IOException {
        long pos = limit;
        long lineEnd = limit;
        int newlines = 0;
        while (pos > 0) {
            int size = (int) Math.min(BLOCK, pos);
            pos -= size;
            block.clear().limit(size);
            while (block.hasRemaining()) {
                if (file.read(block, pos + block.position()) < 0) {
                    return pos + block.position(); // the file was cut meanwhile
                }
            }
            byte[] bytes = block.array();
            for (int i = size - 1; i >= 0; i--) {
                if (bytes[i] == '\n') {
                    if (++newlines == n) {
                        return pos + i + 1;
                    }
                    lineEnd = pos + i;
                }
            }
            if (pos > 0 && lineEnd - pos >= lineScan) {
                return -(pos + 1);
            }
        }
        return 0;
    }

    private static int byteAt(FileChannel file, long at, ByteBuffer block) throws IOException {
        block.clear().limit(1);
        return file.read(block, at) == 1 ? block.get(0) : -1;
    }

    private static int utf8Length(String s) {
        int bytes = s.length();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                bytes += s.charAt(i) >= 0x800 && !Character.isSurrogate(s.charAt(i)) ? 2 : 1;
            }
        }
        return bytes;
    }

    /** {@code [jpm: N earlier lines left out ...]}: what a reader shows where the budget dropped lines. */
    public static String droppedMarker(int dropped, long maxBytes) {
        return "[jpm: " + dropped + " earlier line" + (dropped == 1 ? "" : "s") + " left out: at most "
                + maxBytes / 1024 + " KiB of lines per answer]";
    }
}
