package io.jpm.protocol;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits bytes into lines while holding at most a bounded part of each: a line longer than its
 * bound shows its first and last halves around a marker that says how many bytes were left out
 * ({@link #marker}), so a reader of a log with a 100 MiB line holds 64 KiB of it, not 100 MiB, and
 * says it cut. Bytes are decoded as UTF-8 (invalid bytes become U+FFFD); a cut never splits a
 * character.
 */
public final class LineCutter {
    /** The most of one line a reader shows: its first and last 32 KiB. */
    public static final int LINE_BYTES = 64 * 1024;

    private final int half;
    private final byte[] head;
    /** The last bytes after the head, a ring: the next byte goes at {@link #ringAt}. */
    private final byte[] ring;

    private final Consumer<String> sink;
    private int headLength;
    private int ringAt;
    /** Bytes of the current line so far. */
    private long length;
    /** The current line began before the first byte fed: its head is not known. */
    private boolean startUnknown;

    /** @param lineBytes the most shown of a line (its halves); at least 8 */
    public LineCutter(int lineBytes, Consumer<String> sink) {
        this.half = Math.max(4, lineBytes / 2);
        this.head = new byte[half];
        this.ring = new byte[half];
        this.sink = sink;
    }

    /**
     * What stands for the bytes left out of a line. {@code atLeast}: the line began further back
     * than the reader looked, so more were left out.
     */
    public static String marker(long leftOut, boolean atLeast) {
        return "[jpm: " + (atLeast ? "more than " : "") + leftOut + " bytes of this line left out]";
    }

    /** What ends a live line cut after {@code shown} bytes: the rest of the line was still to come. */
    public static String liveMarker(int shown) {
        return "[jpm: line cut after " + shown + " bytes; its rest is only in the log file]";
    }

    /** The line now being fed began before its first byte (a reader that started in its middle). */
    public void startUnknown() {
        startUnknown = true;
    }

    /** Bytes held of a line not ended yet. */
    public long pending() {
        return length;
    }

    /** Passes each line that a newline ends to the sink; the rest waits for its end. */
    public void feed(byte[] bytes, int offset, int count) {
        int end = offset + count;
        int at = offset;
        while (at < end) {
            int nl = at;
            while (nl < end && bytes[nl] != '\n') {
                nl++;
            }
            take(bytes, at, nl - at);
            if (nl == end) {
                return;
            }
            finish();
            at = nl + 1;
        }
    }

    /** The line held so far (empty too) goes to the sink as a whole line. */
    public void finish() {
        long rest = length - headLength;
        int tailLength = (int) Math.min(half, rest);
        int from = (ringAt - tailLength + half) % half;
        byte[] tail = new byte[tailLength];
        int first = Math.min(tailLength, half - from);
        System.arraycopy(ring, from, tail, 0, first);
        System.arraycopy(ring, 0, tail, first, tailLength - first);
        long leftOut = rest - tailLength;
        String line;
        if (leftOut == 0 && !startUnknown) {
            line = text(head, 0, headLength) + text(tail, 0, tailLength);
        } else {
            int shownHead = startUnknown ? 0 : wholeCharacters(head, 0, headLength);
            int tailStart = firstCharacter(tail);
            leftOut += (headLength - shownHead) + tailStart;
            line = text(head, 0, shownHead)
                    + marker(leftOut, startUnknown)
                    + text(tail, tailStart, tailLength - tailStart);
        }
        length = 0;
        headLength = 0;
        ringAt = 0;
        startUnknown = false;
        sink.accept(line);
    }

    private void take(byte[] bytes, int offset, int count) {
        length += count;
        int toHead = Math.min(half - headLength, count);
        System.arraycopy(bytes, offset, head, headLength, toHead);
        headLength += toHead;
        int from = offset + toHead;
        int left = count - toHead;
        if (left >= half) {
            System.arraycopy(bytes, from + left - half, ring, 0, half);
            ringAt = 0;
            return;
        }
        int first = Math.min(left, half - ringAt);
        System.arraycopy(bytes, from, ring, ringAt, first);
        System.arraycopy(bytes, from + first, ring, 0, left - first);
        ringAt = (ringAt + left) % half;
    }

    /**
     * How many of the {@code length} bytes from {@code offset} end on a character's end: a
     * character the end cuts through is left out.
     */
    public static int wholeCharacters(byte[] bytes, int offset, int length) {
        int end = offset + length;
        for (int start = end - 1; start >= offset && start >= end - 4; start--) {
            if ((bytes[start] & 0xC0) != 0x80) {
                int lead = bytes[start] & 0xFF;
                int size = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
                return start + size <= end ? length : start - offset;
            }
        }
        return length;
    }

    /** Where the first character that starts inside {@code bytes} begins (continuation bytes before it skipped). */
    static int firstCharacter(byte[] bytes) {
        int at = 0;
        while (at < bytes.length && at < 3 && (bytes[at] & 0xC0) == 0x80) {
            at++;
        }
        return at;
    }

    private static String text(byte[] bytes, int offset, int count) {
        return new String(bytes, offset, count, StandardCharsets.UTF_8);
    }
}
