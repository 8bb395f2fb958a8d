package io.jpm.history;

import java.util.Arrays;

/**
 * One figure of one subject (an app, or the host's totals) over time: a ring of floats for each
 * {@link Tier} (a cell per 5 s slot for the last hour, per minute for the last 24 h, per 10 minutes for
 * the last 7 days), and what the cell under way of each has gathered so far. Floats: a figure's 7 digits are more than a chart shows, at half the memory.
 * A cell holds NaN where nothing was recorded. Which slot a cell stands for is kept by the store
 * ({@link HistoryStore}: the head), not per cell. Each ring is held in chunks of {@link #CHUNK} cells
 * made when a figure first falls in them and dropped when the head leaves one that holds none, so a
 * series costs what it holds: an app started a minute ago holds a chunk of each ring, not a day's
 * rings, and a gone app's chunks go as the head passes them.
 */
final class Series {
    static final int CHUNK = 60;

    final String subject;
    final String metric;
    /** A counter (restarts): the slot's highest figure, not its mean. */
    final boolean highest;

    /** Each tier's ring, by {@link Tier#ordinal()}, in chunks. */
    private final float[][][] rings = new float[Tier.values().length][][];
    /** What each tier's cell under way gathered, by {@link Tier#ordinal()}. */
    private final Gathered[] now = new Gathered[Tier.values().length];
    /** The last minute (its index) this series had a figure in: a series silent for 7 days is dropped. */
    long lastMinute;

    Series(String subject, String metric, long minute) {
        this.subject = subject;
        this.metric = metric;
        this.highest = Metrics.isCounter(metric);
        this.lastMinute = minute;
        for (Tier tier : Tier.values()) {
            rings[tier.ordinal()] = new float[tier.slots / CHUNK][];
            now[tier.ordinal()] = new Gathered();
        }
    }

    /** What the tier's cell under way gathered. */
    Gathered now(Tier tier) {
        return now[tier.ordinal()];
    }

    /** A cell's figure, NaN when none. */
    float get(Tier tier, int cell) {
        float[] chunk = rings[tier.ordinal()][cell / CHUNK];
        return chunk == null ? Float.NaN : chunk[cell % CHUNK];
    }

    /**
     * The head's cell finished (or passed with nothing). A chunk is made only for a figure, and dropped
     * as the head leaves it when every cell of it is empty: its cells all stand for the slots the head
     * just passed then.
     */
    void finish(Tier tier, int cell, float value) {
        float[][] ring = rings[tier.ordinal()];
        float[] chunk = ring[cell / CHUNK];
        if (chunk == null && Float.isNaN(value)) {
            return;
        }
        put(ring, cell, value);
        if (cell % CHUNK == CHUNK - 1 && empty(ring[cell / CHUNK])) {
            ring[cell / CHUNK] = null;
        }
    }

    /**
     * As {@link #finish} with no figure for each slot from {@code from} to {@code to} (exclusive; at most
     * a ring's worth): the slots that passed with none, a chunk at a time. One call a series, where one
     * a cell was 17,600 calls each minute for 200 apps sampled once a minute (11 fine slots of 1,600
     * series), on the history's event loop.
     */
    void skip(Tier tier, long from, long to) {
        float[][] ring = rings[tier.ordinal()];
        int slots = ring.length * CHUNK;
        for (long slot = from; slot < to; ) {
            int cell = (int) (slot % slots);
            int start = cell % CHUNK;
            int end = (int) Math.min(CHUNK, start + (to - slot));
            float[] chunk = ring[cell / CHUNK];
            if (chunk != null) {
                Arrays.fill(chunk, start, end, Float.NaN);
                if (end == CHUNK && empty(chunk)) {
                    ring[cell / CHUNK] = null;
                }
            }
            slot += end - start;
        }
    }

    private static boolean empty(float[] chunk) {
        for (float value : chunk) {
            if (!Float.isNaN(value)) {
                return false;
            }
        }
        return true;
    }

    /** A cell read back from the files. */
    void restore(Tier tier, int cell, float value) {
        put(rings[tier.ordinal()], cell, value);
    }

    /** The bytes of the chunks it holds. */
    long bytes() {
        long chunks = 0;
        for (float[][] ring : rings) {
            for (float[] chunk : ring) {
                chunks += chunk == null ? 0 : 1;
            }
        }
        return chunks * CHUNK * Float.BYTES;
    }

    private static void put(float[][] ring, int cell, float value) {
        float[] chunk = ring[cell / CHUNK];
        if (chunk == null) {
            chunk = new float[CHUNK];
            Arrays.fill(chunk, Float.NaN);
            ring[cell / CHUNK] = chunk;
        }
        chunk[cell % CHUNK] = value;
    }

    /** What one slot gathered: the mean or the highest of its figures. */
    final class Gathered {
        private double sum;
        private double top = Double.NEGATIVE_INFINITY;
        private int count;

        void add(double value) {
            sum += value;
            top = Math.max(top, value);
            count++;
        }

        /** The slot's figure, NaN when it had none. */
        float value() {
            return count == 0 ? Float.NaN : (float) (highest ? top : sum / count);
        }

        /** The figure, then nothing gathered: for the next slot. */
        float take() {
            float value = value();
            sum = 0;
            top = Double.NEGATIVE_INFINITY;
            count = 0;
            return value;
        }
    }
}
