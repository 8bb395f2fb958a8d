package io.jpm.history;

import java.util.Arrays;

/**
 * One figure of one subject (an app, or the host's totals) over time: two rings of floats, one cell per
 * fine slot (the last hour) and one per minute (the last 24 h), and what the slot and the minute under
 * way have gathered so far. Floats: a figure's 7 digits are more than a chart shows, at half the memory.
 * A cell holds NaN where nothing was recorded. Which slot a cell stands for is kept by the store
 * ({@link HistoryStore}: the head), not per cell.
 */
final class Series {
    final String subject;
    final String metric;
    /** A counter (restarts): the slot's highest figure, not its mean. */
    final boolean highest;

    final float[] fine = nan(HistoryStore.FINE_SLOTS);
    final float[] minutes = nan(HistoryStore.MINUTE_SLOTS);
    final Gathered fineNow = new Gathered();
    final Gathered minuteNow = new Gathered();
    /** The last minute (its index) this series had a figure in: a series silent for 24 h is dropped. */
    long lastMinute;

    Series(String subject, String metric, long minute) {
        this.subject = subject;
        this.metric = metric;
        this.highest = Metrics.isCounter(metric);
        this.lastMinute = minute;
    }

    private static float[] nan(int size) {
        float[] cells = new float[size];
        Arrays.fill(cells, Float.NaN);
        return cells;
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
