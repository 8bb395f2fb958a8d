package io.jpm.history;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The history in memory: each app's and the host's figures, one cell per 5 s slot for the last hour,
 * one per minute for the last 24 h and one per 10 minutes for the last 7 days ({@link Tier},
 * {@link Series}), in bounded memory: at most {@link #MAX_SERIES} series of at most
 * {@link #BYTES_PER_SERIES} bytes each (the chunks its figures fell in); a series with no figure for
 * 7 days is dropped. A figure is recorded as it comes ({@link #record}); the slot and the minute it
 * falls in gather it, and are finished (their mean, or a counter's highest, put in their ring cell)
 * when a figure of a later slot comes: no timer of its own, the roll-up rides on Satan's sample. A
 * finished minute's figure is gathered by the 10 minutes it falls in (downsampled: the minutes' mean,
 * a counter's highest), finished the same way. Finished cells are handed back to be written
 * ({@link HistoryFiles}) and come back from the files at a start ({@link #restore}, then
 * {@link #restored}). Not thread-safe: the history verticle's event loop only.
 */
final class HistoryStore {
    static final long FINE_MS = Tier.FINE.length;
    static final long MINUTE_MS = Tier.MINUTE.length;
    /**
     * What a series holds at most: its three rings of floats (in chunks of 60 cells, 16 bytes of header
     * each: ~13 KB in all); a series holds only the chunks its figures fell in.
     */
    static final int BYTES_PER_SERIES = (Tier.FINE.slots + Tier.MINUTE.slots + Tier.WEEK.slots) * Float.BYTES;
    /** 4,096 series of ~13 KB: 50 MB at most (200 apps with 9 figures each, all week: 1,800 series, 22 MB). */
    static final int MAX_SERIES = 4_096;

    /** A finished cell of a tier: its start (ms) and each subject's figures. */
    record Point(Tier tier, long time, Map<String, Map<String, Float>> figures) {}

    /** A query's answer: the start of each point, and each subject's series that has a figure. */
    record Answer(List<Long> times, Map<String, Map<String, List<Float>>> figures) {}

    private final Map<String, Map<String, Series>> subjects = new LinkedHashMap<>();
    private int seriesCount;
    /** Figures not kept because {@link #MAX_SERIES} series were full. */
    private long refused;
    /** Each tier's cell under way (its index: time / length), by ordinal; -1 before the first figure. */
    private final long[] heads = {-1, -1, -1};

    /** Records a sample's figures (subject, then metric, then value) taken at {@code time} (ms). */
    List<Point> record(long time, Map<String, Map<String, Double>> figures) {
        List<Point> finished = new ArrayList<>();
        advance(time, finished);
        figures.forEach((subject, metrics) -> metrics.forEach((metric, value) -> {
            if (value != null && Double.isFinite(value)) {
                Series series = series(subject, metric);
                if (series != null) {
                    series.now(Tier.FINE).add(value);
                    series.now(Tier.MINUTE).add(value);
                    series.lastMinute = head(Tier.MINUTE);
                }
            }
        }));
        return finished;
    }

    /**
     * Moves each tier to the cell of {@code time}, finishing the ones under way, finest first (a
     * minute finished feeds the 10 minutes it falls in before they finish); a time before them (the
     * clock set back) counts in them.
     */
    void advance(long time, List<Point> finished) {
        if (heads[0] < 0) {
            start(time);
            return;
        }
        for (Tier tier : Tier.values()) {
            long slot = time / tier.length;
            long head = head(tier);
            if (slot > head) {
                addIfAny(finished, finish(tier, head));
                clear(tier, head + 1, slot);
                heads[tier.ordinal()] = slot;
                if (tier == Tier.MINUTE) {
                    dropSilent();
                }
            }
        }
    }

    private void start(long time) {
        for (Tier tier : Tier.values()) {
            heads[tier.ordinal()] = time / tier.length;
        }
    }

    private long head(Tier tier) {
        return heads[tier.ordinal()];
    }

    /** Puts back a point read from the files, when it falls in what the rings hold now. */
    void restore(Point point, long now) {
        point.figures().forEach((subject, metrics) -> restore(point.tier(), point.time(), subject, metrics, now));
    }

    /**
     * Puts back one subject's figures of a point read from the files (see {@link #restore(Point, long)});
     * {@link #restored} once they all are.
     */
    void restore(Tier tier, long time, String subject, Map<String, Float> metrics, long now) {
        if (heads[0] < 0) {
            start(now);
        }
        long head = head(tier);
        long slot = time / tier.length;
        if (slot > head || slot <= head - tier.slots || (tier == Tier.WEEK && slot == head)) {
            return; // the 10 minutes under way are gathered again from the minutes (restored())
        }
        int cell = (int) (slot % tier.slots);
        metrics.forEach((metric, value) -> {
            Series series = series(subject, metric);
            if (series == null || value == null) {
                return;
            }
            if (slot == head) {
                // what a stopping daemon had of the slot under way: one figure of it
                series.now(tier).add(value);
            } else {
                series.restore(tier, cell, value);
            }
            series.lastMinute = Math.max(series.lastMinute, time / MINUTE_MS);
        });
    }

    /**
     * The files read back: the 10 minutes under way gather the finished minutes of them again (never
     * written: a daemon killed mid-way loses none of them, a minute written twice counts once).
     */
    void restored() {
        long first = head(Tier.WEEK) * (Tier.WEEK.length / MINUTE_MS);
        for (Map<String, Series> metrics : subjects.values()) {
            for (Series series : metrics.values()) {
                Series.Gathered week = series.now(Tier.WEEK);
                week.take();
                for (long minute = first; minute < head(Tier.MINUTE); minute++) {
                    float value = cell(series, Tier.MINUTE, minute);
                    if (!Float.isNaN(value)) {
                        week.add(value);
                    }
                }
            }
        }
    }

    /**
     * The slot and the minute under way as they stand (for a daemon that stops), left as they are; the
     * 10 minutes under way are not: {@link #restored} gathers them again from the minutes.
     */
    List<Point> underWay() {
        List<Point> points = new ArrayList<>();
        if (heads[0] >= 0) {
            addIfAny(points, standing(Tier.FINE));
            addIfAny(points, standing(Tier.MINUTE));
        }
        return points;
    }

    private Point standing(Tier tier) {
        Map<String, Map<String, Float>> figures = new LinkedHashMap<>();
        for (Map<String, Series> metrics : subjects.values()) {
            for (Series series : metrics.values()) {
                float value = series.now(tier).value();
                if (!Float.isNaN(value)) {
                    figures.computeIfAbsent(series.subject, s -> new LinkedHashMap<>())
                            .put(series.metric, value);
                }
            }
        }
        return new Point(tier, head(tier) * tier.length, figures);
    }

    /**
     * The figures of the subjects {@code wanted} from {@code from} to {@code to} (ms, both included),
     * a point each {@code step} ms: from the fine ring for a step under a minute (a multiple of 5 s),
     * else from the minutes (a multiple of a minute) where the point's first minute is still in their
     * ring, and from the 10 minutes before that (the cells starting in the point's span); a point is its
     * cells' mean (a counter's highest), the cell under way included as it stands; null where none has
     * a figure.
     */
    Answer query(long from, long to, long step, Predicate<String> wanted) {
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
                    Float value = point(series, t, step);
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

    private Float point(Series series, long t, long step) {
        if (step < MINUTE_MS) {
            return combine(series, Tier.FINE, t / FINE_MS, step / FINE_MS);
        }
        if (t / MINUTE_MS > head(Tier.MINUTE) - Tier.MINUTE.slots) {
            return combine(series, Tier.MINUTE, t / MINUTE_MS, step / MINUTE_MS);
        }
        long first = Math.floorDiv(t + Tier.WEEK.length - 1, Tier.WEEK.length);
        long end = Math.floorDiv(t + step + Tier.WEEK.length - 1, Tier.WEEK.length);
        return combine(series, Tier.WEEK, first, end - first);
    }

    private Float combine(Series series, Tier tier, long first, long cells) {
        double sum = 0;
        double top = Double.NEGATIVE_INFINITY;
        int count = 0;
        for (long slot = first; slot < first + cells; slot++) {
            float value = cell(series, tier, slot);
            if (!Float.isNaN(value)) {
                sum += value;
                top = Math.max(top, value);
                count++;
            }
        }
        return count == 0 ? null : (float) (series.highest ? top : sum / count);
    }

    private float cell(Series series, Tier tier, long slot) {
        long head = head(tier);
        if (slot == head) {
            return series.now(tier).value();
        }
        if (slot > head || slot <= head - tier.slots) {
            return Float.NaN;
        }
        return series.get(tier, (int) (slot % tier.slots));
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

    /** The oldest time (ms) the tier's ring holds a cell of. */
    long start(Tier tier) {
        return (head(tier) - tier.slots + 1) * tier.length;
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
        series = new Series(subject, metric, head(Tier.MINUTE));
        subjects.computeIfAbsent(subject, s -> new LinkedHashMap<>()).put(metric, series);
        seriesCount++;
        return series;
    }

    private Point finish(Tier tier, long head) {
        int cell = (int) (head % tier.slots);
        Map<String, Map<String, Float>> figures = new LinkedHashMap<>();
        for (Map<String, Series> metrics : subjects.values()) {
            for (Series series : metrics.values()) {
                float value = series.now(tier).take();
                series.finish(tier, cell, value);
                if (!Float.isNaN(value)) {
                    figures.computeIfAbsent(series.subject, s -> new LinkedHashMap<>())
                            .put(series.metric, value);
                    if (tier == Tier.MINUTE) {
                        series.now(Tier.WEEK).add(value);
                    }
                }
            }
        }
        return new Point(tier, head * tier.length, figures);
    }

    private static void addIfAny(List<Point> finished, Point point) {
        if (!point.figures().isEmpty()) {
            finished.add(point);
        }
    }

    /** The cells of the slots skipped (no figure came in them) hold nothing: at most one ring's worth. */
    private void clear(Tier tier, long fromSlot, long toSlot) {
        long last = Math.min(toSlot, fromSlot + tier.slots);
        for (Map<String, Series> metrics : subjects.values()) {
            for (Series series : metrics.values()) {
                series.skip(tier, fromSlot, last);
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
            long silent = head(Tier.MINUTE) - Tier.WEEK.span() / MINUTE_MS;
            metrics.values().removeIf(series -> series.lastMinute <= silent);
            seriesCount -= before - metrics.size();
            if (metrics.isEmpty()) {
                bySubject.remove();
            }
        }
    }
}
