package io.jpm.protocol;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The last lines of a log file, read backwards in blocks (a huge file is not read whole): what
 * {@code jpm logs} shows before its live lines, read by the CLI from a local file and by the
 * daemon for a client on another host ({@link Addresses#QUERY_LOGS}, within this class's bounds).
 *
 * @param lines the lines, oldest first, without their newlines
 * @param truncated whether the byte bound cut the lines short of the number asked for
 */
public record LastLines(List<String> lines, boolean truncated) {
    /** The most lines a remote client gets of one file. */
    public static final int MAX_LINES = 10_000;
    /** The most bytes a remote client gets of all its files together (one event-bus reply). */
    public static final int MAX_BYTES = 1024 * 1024;
    /** What the local CLI reads at most of one file. */
    static final long LOCAL_BYTES = 64L * 1024 * 1024;

    /** The last {@code n} lines of {@code path}, at most {@link #LOCAL_BYTES} of it. */
    public static List<String> of(Path path, int n) throws IOException {
        return read(path, n, LOCAL_BYTES).lines;
    }

    /**
     * The last {@code n} lines of {@code path} within its last {@code maxBytes} bytes; a line the
     * bound cuts through is left out whole.
     */
    public static LastLines read(Path path, int n, long maxBytes) throws IOException {
        BlockingCall.check("a read of " + path);
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
            long end = file.length();
            long start = end;
            int newlines = 0;
            byte[] block = new byte[64 * 1024];
            // a final newline ends the last line; it does not start an empty one
            long limit = end > 0 && readByte(file, end - 1) == '\n' ? end - 1 : end;
            boolean found = n == 0 || start == 0;
            while (start > 0 && !found && limit - start < maxBytes) {
                int size = (int) Math.min(Math.min(block.length, start), Math.max(1, maxBytes - (limit - start)));
                start -= size;
                file.seek(start);
                file.readFully(block, 0, size);
                for (int i = size - 1; i >= 0; i--) {
                    if (start + i < limit && block[i] == '\n' && ++newlines == n) {
                        start = start + i + 1;
                        found = true;
                        break;
                    }
                }
                found |= start == 0;
            }
            boolean truncated = !found;
            if (n == 0 || start >= limit) {
                return new LastLines(List.of(), truncated);
            }
            // the bound may cut a line: only the whole lines after the cut are kept
            boolean cut = truncated && readByte(file, start - 1) != '\n';
            byte[] bytes = new byte[(int) (limit - start)];
            file.seek(start);
            file.readFully(bytes);
            int from = 0;
            if (cut) {
                while (from < bytes.length && bytes[from] != '\n') {
                    from++;
                }
                from++;
                if (from >= bytes.length) {
                    return new LastLines(List.of(), true);
                }
            }
            String text = new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
            return new LastLines(List.of(text.split("\n", -1)), truncated);
        }
    }

    private static int readByte(RandomAccessFile file, long at) throws IOException {
        file.seek(at);
        return file.read();
    }
}
