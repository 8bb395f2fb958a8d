package io.jpm.satan;

/**
 * The three fields the sampler needs from the bytes of a {@code /proc/<pid>/stat} (proc(5)): the
 * process group (field 5), user + system ticks (14 + 15) and resident pages (24). Fields are counted
 * from the last ')', since the command name in parentheses may hold spaces and parentheses.
 */
final class StatFields {
    private static final int PGRP = 5;
    private static final int UTIME = 14;
    private static final int STIME = 15;
    private static final int RSS = 24;

    private StatFields() {}

    /** Fills {@code out} with pgrp, ticks, rss pages; false when the bytes are not a whole stat line. */
    static boolean parse(byte[] bytes, int length, long[] out) {
        int close = -1;
        for (int i = length - 1; i >= 0; i--) {
            if (bytes[i] == ')') {
                close = i;
                break;
            }
        }
        // ") S " : field 3 is the state letter, then field 4 starts
        int i = close + 4;
        if (close < 0 || i >= length) {
            return false;
        }
        long ticks = 0;
        for (int field = 4; field <= RSS; field++) {
            boolean negative = i < length && bytes[i] == '-';
            if (negative) {
                i++;
            }
            long value = 0;
            int digits = 0;
            while (i < length && bytes[i] >= '0' && bytes[i] <= '9') {
                value = value * 10 + (bytes[i++] - '0');
                digits++;
            }
            if (digits == 0 || (i < length && bytes[i] != ' ' && bytes[i] != '\n')) {
                return false;
            }
            value = negative ? -value : value;
            if (field == PGRP) {
                out[0] = value;
            } else if (field == UTIME || field == STIME) {
                ticks += value;
            } else if (field == RSS) {
                out[1] = ticks;
                out[2] = value;
                return true;
            }
            i++; // the space
        }
        return false;
    }
}
