package io.jpm.logs;

import java.nio.ByteBuffer;

/** Where lines end in raw output: the searches the writer and its files share. */
final class Newlines {
    private Newlines() {}

    /** The first newline in {@code bytes[from, to)}, or -1. */
    static int first(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The last newline in {@code bytes[from, to)} ({@code to} capped at the array's end), or -1. */
    static int last(byte[] bytes, int from, int to) {
        for (int i = Math.min(to, bytes.length) - 1; i >= from; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Whether the last of the bytes left in the buffers is a newline (true when none is left). */
    static boolean endsLine(ByteBuffer... buffers) {
        for (int i = buffers.length - 1; i >= 0; i--) {
            if (buffers[i].hasRemaining()) {
                return buffers[i].get(buffers[i].limit() - 1) == '\n';
            }
        }
        return true;
    }

    /**
     * How many of the first {@code limit} bytes of the buffers, each read from its index in
     * {@code starts} to its limit, come after the last newline among them; -1 when there is none.
     */
    static long bytesAfterLast(ByteBuffer[] buffers, int[] starts, long limit) {
        long from = 0;
        for (int i = 0; i < buffers.length; i++) {
            from += buffers[i].limit() - starts[i];
        }
        for (int i = buffers.length - 1; i >= 0; i--) {
            ByteBuffer b = buffers[i];
            from -= b.limit() - starts[i];
            long upto = Math.min(b.limit() - starts[i], limit - from);
            for (long j = upto - 1; j >= 0; j--) {
                if (b.get(starts[i] + (int) j) == '\n') {
                    return limit - (from + j + 1);
                }
            }
        }
        return -1;
    }
}
