package io.jpm.history;

/**
 * The history's three rings, finest first: a cell each 5 s for the last hour, each minute for the last
 * 24 h, each 10 minutes for the last 7 days (and 2 hours: whole chunks of {@link Series#CHUNK} cells).
 * A coarser ring is filled from the next finer one: a finished minute's figure goes into the 10
 * minutes under way (their mean, a counter's highest). On disk ({@link HistoryFiles}) a ring's files
 * hold {@link #fileHours} hours each and are kept {@link #keptHours} hours past their start.
 */
enum Tier {
    FINE("fine", 5_000, 720, 1, 1),
    MINUTE("minute", 60_000, 1_440, 1, 24),
    WEEK("week", 600_000, 1_020, 24, 8 * 24);

    /** The files' prefix. */
    final String word;
    /** What one cell stands for (ms). */
    final long length;
    /** How many cells the ring holds. */
    final int slots;
    /** The hours one file of this ring holds: a day for the week's (144 points), not an hour's 6. */
    final int fileHours;
    /** A file starting this many hours before the current hour is still read back and kept. */
    final int keptHours;

    Tier(String word, long length, int slots, int fileHours, int keptHours) {
        this.word = word;
        this.length = length;
        this.slots = slots;
        this.fileHours = fileHours;
        this.keptHours = keptHours;
    }

    /** The ring a file's prefix names; null for none. */
    static Tier of(String word) {
        for (Tier tier : values()) {
            if (tier.word.equals(word)) {
                return tier;
            }
        }
        return null;
    }

    /** What the ring reaches back (ms). */
    long span() {
        return length * slots;
    }
}
