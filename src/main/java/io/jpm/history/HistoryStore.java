package io.jpm.history;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The history in memory: each app's and the host's figures, one cell per 5 s slot for the last hour
 * and one per minute for the last 24 h ({@link Series}), in bounded memory: at most
 * {@link #MAX_SERIES} series of at most {@link #BYTES_PER_SERIES} bytes each (the chunks its figures
 * fell in); a series with no figure for 24 h is dropped. A figure is recorded as it comes ({@link #record}); the slot and the minute it
 * falls in gather it, and are finished (their mean, or a counter's highest, put in their ring cell)
 * when a figure of a later slot comes: no timer of its own, the roll-up rides on Satan's sample.
 * Finished slots are handed back to be written ({@link HistoryFiles}) and come back from the files
 * at a start ({@link #restore}). Not thread-safe: the history verticle's event loop only.
 */
final class HistoryStore {
    static final long FINE_MS = 5_000;
    static final int FINE_SLOTS = 720;
    static final long MINUTE_MS = 60_000;
    static final int MINUTE_SLOTS = 1_440;
    /**
     * What a series holds at most: its two rings of floats (in chunks of 60 cells, 16 bytes of header
     * each: ~9 KB in all); a series holds only the chunks its figures fell in.
     */
    static final int BYTES_PER_SERIES = (FINE_SLOTS + MINUTE_SLOTS) * Float.BYTES;
    /** 4,096 series of ~9 KB: 36 MB at most (200 apps with 8 figures each, all day: 1,600 series, 14 MB). */
    static final int MAX_SERIES = 4_096;

    /** A finished slot (fine) or minute: its start (ms) and each subject's figures. */
    record Point(boolean fine, long time, Map<String, Map<String, Float>> figures) {}

    /** A query's answer: the start of each point, and each subject's series that has a figure. */
    record Answer(List<Long> times, Map<String, Map<String, List<Float>>> figures) {}

    private final Map<String, Map<String, Series>> subjects = new LinkedHashMap<>();
    private int seriesCount;
    /** Figures not kept because {@link #MAX_SERIES} series were full. */
    private long refused;
    /** The slot and the minute under way (their index: time / length); -1 before the first figure. */
    private long fineHead = -1;

    private long minuteHead = -1;

    /** Records a sample's figures (subject, then metric, then value) taken at {@code time} (ms). */
    List<Point> record(long time, Map<String, Map<String, Double>> figures) {
        List<Point> finished = new ArrayList<>();
        advance(time, finished);
        figures.forEach((subject, metrics) -> metrics.forEach((metric, value) -> {
            if (value != null && Double.isFinite(value)) {
                Series series = series(subject, metric);
                if (series != null) {
                    series.fineNow.add(value);
                    series.minuteNow.add(value);
                    series.lastMinute = minuteHead;
                }
            }
        }));
        return finished;
    }

    /**
     * Moves to the slot and the minute of {@code time}, finishing the ones under way; a time before
     * them (the clock set back) counts in them.
     */
    void advance(long time, List<Point> finished) {
        long slot = time / FINE_MS;
        long minute = time / MINUTE_MS;
        if (fineHead < 0) {
            fineHead = slot;
            minuteHead = minute;
            return;
        }
        if (slot > fineHead) {
            addIfAny(finished, finish(true, fineHead));
            clear(true, fineHead + 1, slot);
            fineHead = slot;
        }
        if (minute > minuteHead) {
            addIfAny(finished, finish(false, minuteHead));
            clear(false, minuteHead + 1, minute);
            minuteHead = minute;
            dropSilent();
        }
    }

    /** Puts back a point read from the files, when it falls in what the rings hold now. */
    void restore(Point point, long now) {
        point.figures().forEach((subject, metrics) -> restore(point.fine(), point.time(), subject, metrics, now));
    }

    /** Puts back one subject's figures of a point read from the files (see {@link #restore(Point, long)}). */
    void restore(boolean fine, long time, String subject, Map<String, Float> metrics, long now) {
        if (fineHead < 0) {
            fineHead = now / FINE_MS;
            minuteHead = now / MINUTE_MS;
        }
        long head = fine ? fineHead : minuteHead;
        int slots = fine ? FINE_SLOTS : MINUTE_SLOTS;
        long slot = time / (fine ? FINE_MS : MINUTE_MS);
        if (slot > head || slot <= head - slots) {
            return;
        }
        int cell = (int) (slot % slots);
        metrics.forEach((metric, value) -> {
            Series series = series(subject, metric);
            if (series == null || value == null) {
                return;
            }
            if (slot == head) {
                // what a stopping daemon had of the slot under way: one figure of it
                (fine ? series.fineNow : series.minuteNow).add(value);
            } else {
                series.restore(fine, cell, value);
            }
            series.lastMinute = Math.max(series.lastMinute, time / MINUTE_MS);
        });
    }

    /** The slot and the minute under way as they stand (for a daemon that stops), left as they are. */
    List<Point> underWay() {
        List<Point> points = new ArrayList<>();
        if (fineHead >= 0) {
            addIfAny(points, standing(true));
            addIfAny(points, standing(false));
        }
        return points;
    }

    private Point standing(boolean fine) {
        Map<String, Map<String, Float>> figures = new LinkedHashMap<>();
        for (Map<String, Series> metrics : subjects.values()) {
            for (Series series : metrics.values()) {
                float value = (fine ? series.fineNow : series.minuteNow).value();
                if (!Float.isNaN(value)) {
                    figures.computeIfAbsent(series.subject, s -> new LinkedHashMap<>())
                            .put(series.metric, value);
                }
            }
        }
        return new Point(fine, fine ? fineHead * FINE_MS : minuteHead * MINUTE_MS, figures);
    }

    /**
     * The figures of the subjects {@code wanted} from {@code from} to {@code to} (ms, both included),
     * a point each {@code step} ms: from the fine ring for a step under a minute (a multiple of 5 s),
     * else from the minutes (a multiple of a minute); a point is its cells' mean (a counter's
     * highest), the slot under way included as it stands; null where none has a figure.
     */
    Answer query(long from, long to, long step, Predicate<String> wanted) {
        boolean fine = step < MINUTE_MS;
        long length = fine ? FINE_MS : MINUTE_MS;
        long cells = step / length;
        List<Long> times = new ArrayList<>();
        for (long t = from; t <= to; t += step) {
            times.add(t);
        }
        Map<String, Map<String, List<Float>>> answer = new LinkedHashMap<>();
        subjects.forEach((subject, metrics) -> {
            if (!wanted.test(subject)) {
                return;
            }
            metrics.forEach((metric, series) -> {
                List<Float> values = new ArrayList<>(times.size());
                boolean any = false;
                for (long t : times) {
                    Float value = combine(series, fine, t / length, cells);
                    any |= value != null;
                    values.add(value);
                }
                if (any) {
                    answer.computeIfAbsent(subject, s -> new LinkedHashMap<>()).put(metric, values);
                }
            });
        });
        return new Answer(times, answer);
    }

    private Float combine(Series series, boolean fine, long first, long cells) {
        double sum = 0;
        double top = Double.NEGATIVE_INFINITY;
        int count = 0;
        for (long slot = first; slot < first + cells; slot++) {
            float value = cell(series, fine, slot);
            if (!Float.isNaN(value)) {
                sum += value;
                top = Math.max(top, value);
                count++;
            }
        }
        return count == 0 ? null : (float) (series.highest ? top : sum / count);
    }

    private float cell(Series series, boolean fine, long slot) {
        long head = fine ? fineHead : minuteHead;
        int slots = fine ? FINE_SLOTS : MINUTE_SLOTS;
        if (slot == head) {
            return (fine ? series.fineNow : series.minuteNow).value();
        }
        if (slot > head || slot <= head - slots) {
            return Float.NaN;
        }
        return series.get(fine, (int) (slot % slots));
    }

    int seriesCount() {
        return seriesCount;
    }

    /** How many series the subjects {@code wanted} have. */
    long seriesCount(Predicate<String> wanted) {
        long count = 0;
        for (Map.Entry<String, Map<String, Series>> subject : subjects.entrySet()) {
            count += wanted.test(subject.getKey()) ? subject.getValue().size() : 0;
        }
        return count;
    }

    long refused() {
        return refused;
    }

    /** The oldest time (ms) the fine ring holds a slot of. */
    long fineStart() {
        return (fineHead - FINE_SLOTS + 1) * FINE_MS;
    }

    private Series series(String subject, String metric) {
        Map<String, Series> metrics = subjects.get(subject);
        Series series = metrics == null ? null : metrics.get(metric);
        if (series != null) {
            return series;
        }
        if (seriesCount >= MAX_SERIES) {
            refused++;
            return null;
        }
        series = new Series(subject, metric, minuteHead);
        subjects.computeIfAbsent(subject, s -> new LinkedHashMap<>()).put(metric, series);
        seriesCount++;
        return series;
    }

    private Point finish(boolean fine, long head) {
        long length = fine ? FINE_MS : MINUTE_MS;
        int slots = fine ? FINE_SLOTS : MINUTE_SLOTS;
        int cell = (int) (head % slots);
        Map<String, Map<String, Float>> figures = new LinkedHashMap<>();
        for (Map<String, Series> metrics : subjects.values()) {
            for (Series series : metrics.values()) {
                float value = (fine ? series.fineNow : series.minuteNow).take();
                series.finish(fine, cell, value);
                if (!Float.isNaN(value)) {
                    figures.computeIfAbsent(series.subject, s -> new LinkedHashMap<>())
                            .put(series.metric, value);
                }
            }
        }
        return new Point(fine, head * length, figures);
    }

    private static void addIfAny(List<Point> finished, Point point) {
        if (!point.figures().isEmpty()) {
            finished.add(point);
        }
    }

    /** The cells of the slots skipped (no figure came in them) hold nothing: at most one ring's worth. */
    private void clear(boolean fine, long fromSlot, long toSlot) {
        int slots = fine ? FINE_SLOTS : MINUTE_SLOTS;
        long last = Math.min(toSlot, fromSlot + slots);
        for (Map<String, Series> metrics : subjects.values()) {
            for (Series series : metrics.values()) {
                series.skip(fine, fromSlot, last);
            }
        }
    }

    /** The bytes the series' chunks hold now. */
    long bytes() {
        long bytes = 0;
        for (Map<String, Series> metrics : subjects.values()) {
            for (Series series : metrics.values()) {
                bytes += series.bytes();
            }
        }
        return bytes;
    }

    private void dropSilent() {
        for (Iterator<Map<String, Series>> bySubject = subjects.values().iterator(); bySubject.hasNext(); ) {
            Map<String, Series> metrics = bySubject.next();
            int before = metrics.size();
            metrics.values().removeIf(series -> series.lastMinute <= minuteHead - MINUTE_SLOTS);
            seriesCount -= before - metrics.size();
            if (metrics.isEmpty()) {
                bySubject.remove();
            }
        }
    }
}
