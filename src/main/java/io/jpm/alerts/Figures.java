package io.jpm.alerts;

import java.util.Locale;

/** Figures as an alert's one line says them: "612 MB", "2m", "90". */
final class Figures {
    private Figures() {}

    static String bytes(long n) {
        if (n >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", n / (double) (1L << 30));
        }
        return n >= 1L << 20 ? (n >> 20) + " MB" : (n >> 10) + " KB";
    }

    static String duration(long ms) {
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1_000 == 0 ? ms / 1_000 + "s" : ms + "ms";
    }

    static String forWhile(long ms) {
        return ms == 0 ? "" : " for " + duration(ms);
    }

    static String number(double n) {
        return n == Math.rint(n) ? Long.toString((long) n) : Double.toString(n);
    }
}
