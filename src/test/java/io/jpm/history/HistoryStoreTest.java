package io.jpm.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryStoreTest {
    /** A minute's start, an hour's too: slots and minutes line up with it. */
    static final long T0 = 1_795_320_000_000L - 1_795_320_000_000L % 3_600_000;

    static Map<String, Map<String, Double>> app(String name, double cpu, double restarts) {
        return Map.of(name, Map.of(Metrics.CPU, cpu, Metrics.RESTARTS, restarts));
    }

    static List<Float> series(HistoryStore store, String app, String metric, long from, long to, long step) {
        return store.query(from, to, step, s -> true).figures().get(app).get(metric);
    }

    @Test
    void aSlotIsTheMeanOfItsFiguresACounterItsHighest() {
        HistoryStore store = new HistoryStore();
        store.record(T0, app("api", 10, 1));
        store.record(T0 + 1_000, app("api", 20, 3));
        store.record(T0 + 2_000, app("api", 30, 2));
        List<HistoryStore.Point> finished = store.record(T0 + 5_000, app("api", 50, 3));
        assertEquals(1, finished.size(), "the first slot finished");
        HistoryStore.Point slot = finished.get(0);
        assertEquals(Tier.FINE, slot.tier());
        assertEquals(T0, slot.time());
        assertEquals(20f, slot.figures().get("api").get(Metrics.CPU));
        assertEquals(3f, slot.figures().get("api").get(Metrics.RESTARTS));
        // the slot under way shows as it stands
        assertEquals(List.of(20f, 50f), series(store, "api", Metrics.CPU, T0, T0 + 5_000, 5_000));
        // a 10 s point: its two slots' mean
        assertEquals(List.of(35f), series(store, "api", Metrics.CPU, T0, T0, 10_000));
    }

    @Test
    void aFigureOfTheNextMinuteFinishesTheMinuteWithTheMeanOfItsFigures() {
        HistoryStore store = new HistoryStore();
        for (int s = 0; s < 60; s += 10) {
            store.record(T0 + s * 1_000L, app("api", s, 0));
        }
        List<HistoryStore.Point> finished = store.record(T0 + 61_000, app("api", 100, 0));
        HistoryStore.Point minute = finished.stream()
                .filter(p -> p.tier() == Tier.MINUTE)
                .findFirst()
                .orElseThrow();
        assertEquals(T0, minute.time());
        assertEquals(25f, minute.figures().get("api").get(Metrics.CPU));
        assertEquals(List.of(25f, 100f), series(store, "api", Metrics.CPU, T0, T0 + 60_000, 60_000));
    }

    @Test
    void theFineRingHoldsAnHourTheMinutesADay() {
        HistoryStore store = new HistoryStore();
        store.record(T0, app("api", 7, 0));
        store.record(T0 + 61_000, app("api", 7, 0));
        long later = T0 + 3_600_000 + 10_000;
        store.record(later, app("api", 9, 0));
        // the fine cell T0's slot had stands for a slot of this hour now, which had no figure
        List<Float> fine = series(store, "api", Metrics.CPU, T0, T0 + 3_600_000, 5_000);
        assertNull(fine.get(0), "an hour-old slot is out of the fine ring");
        assertNull(fine.get(fine.size() - 1), "the cell T0's slot left is not shown for the slot it stands for now");
        assertEquals(7f, series(store, "api", Metrics.CPU, T0, T0, 60_000).get(0), "the minute is kept");
        store.record(T0 + 25 * 3_600_000L, app("worker", 1, 0));
        assertEquals(
                7f,
                series(store, "api", Metrics.CPU, T0, T0, 600_000).get(0),
                "a day later: its 10 minutes in the week's ring");
        store.record(T0 + (7 * 24 + 3) * 3_600_000L, app("worker", 1, 0));
        assertNull(store.query(T0, T0, 600_000, s -> true).figures().get("api"), "7 days later: gone");
        assertEquals(2, store.seriesCount(), "api's series were dropped, worker's kept");
    }

    @Test
    void slotsWithoutAFigureShowNothingEvenAfterTheRingWrapped() {
        HistoryStore store = new HistoryStore();
        store.record(T0, app("api", 1, 0));
        store.record(T0 + 5_000, app("api", 1, 0));
        // 30 s idle sampling: the skipped slots in between hold nothing
        store.record(T0 + 35_000, app("api", 3, 0));
        List<Float> fine = series(store, "api", Metrics.CPU, T0, T0 + 35_000, 5_000);
        assertEquals(Arrays.asList(1f, 1f, null, null, null, null, null, 3f), fine);
    }

    @Test
    void theSeriesAreBounded() {
        HistoryStore store = new HistoryStore();
        for (int i = 0; i <= HistoryStore.MAX_SERIES; i++) {
            store.record(T0, Map.of("app" + i, Map.of(Metrics.CPU, 1.0)));
        }
        assertEquals(HistoryStore.MAX_SERIES, store.seriesCount());
        assertEquals(1, store.refused());
    }

    @Test
    void aPointReadBackFillsItsCellAndTheSlotUnderWayCountsIt() {
        HistoryStore store = new HistoryStore();
        long now = T0 + 600_000;
        store.restore(new HistoryStore.Point(Tier.MINUTE, T0, Map.of("api", Map.of(Metrics.CPU, 4f))), now);
        store.restore(new HistoryStore.Point(Tier.MINUTE, now, Map.of("api", Map.of(Metrics.CPU, 10f))), now);
        store.restore(
                new HistoryStore.Point(Tier.MINUTE, T0 - 90_000_000, Map.of("old", Map.of(Metrics.CPU, 1f))), now);
        store.record(now + 1_000, app("api", 20, 0));
        assertEquals(4f, series(store, "api", Metrics.CPU, T0, T0, 60_000).get(0));
        assertEquals(15f, series(store, "api", Metrics.CPU, now, now, 60_000).get(0));
        assertNull(store.query(T0, now, 60_000, s -> true).figures().get("old"), "older than a day: not kept");
        store.restore(new HistoryStore.Point(Tier.WEEK, T0 - 90_000_000, Map.of("old", Map.of(Metrics.CPU, 1f))), now);
        assertEquals(
                1f,
                series(store, "old", Metrics.CPU, T0 - 90_000_000, T0 - 90_000_000, 600_000)
                        .get(0),
                "its 10 minutes are");
    }

    @Test
    void aClockSetBackCountsInTheSlotUnderWay() {
        HistoryStore store = new HistoryStore();
        store.record(T0 + 10_000, app("api", 10, 0));
        store.record(T0, app("api", 20, 0));
        assertEquals(List.of(15f), series(store, "api", Metrics.CPU, T0 + 10_000, T0 + 10_000, 5_000));
    }

    @Test
    void aSeriesHoldsOnlyTheChunksItsFiguresFellInAndAGoneAppsGoAsTheHeadPasses() {
        HistoryStore store = new HistoryStore();
        store.record(T0, Map.of("api", Map.of(Metrics.CPU, 1.0)));
        store.record(T0 + 5_000, Map.of("api", Map.of(Metrics.CPU, 1.0)));
        assertEquals(Series.CHUNK * Float.BYTES, store.bytes(), "one fine chunk, the minute under way none yet");
        store.record(T0 + 60_000, Map.of("worker", Map.of(Metrics.CPU, 1.0)));
        assertEquals(2L * Series.CHUNK * Float.BYTES, store.bytes(), "api's fine and minute chunks, worker's none yet");
        // api is gone; worker runs on, sampled every 30 s, for an hour and a half
        for (long t = T0 + 90_000; t < T0 + 5_400_000; t += 30_000) {
            store.record(t, Map.of("worker", Map.of(Metrics.CPU, 1.0)));
        }
        assertEquals(
                List.of(1f),
                store.query(T0, T0, 60_000, s -> true).figures().get("api").get(Metrics.CPU),
                "api's minute is kept");
        // worker: a full fine ring (12 chunks), two minute chunks and a week chunk; api: a minute and a week chunk
        assertEquals((12 + 2 + 1 + 1 + 1L) * Series.CHUNK * Float.BYTES, store.bytes());
    }

    /** Ten minutes of app figures, each minute's cpu {@code minute * 10} and restarts {@code minute}. */
    private static List<HistoryStore.Point> tenMinutes(HistoryStore store, long start) {
        List<HistoryStore.Point> finished = new java.util.ArrayList<>();
        for (int minute = 0; minute < 10; minute++) {
            for (int s = 0; s < 60; s += 30) {
                finished.addAll(
                        store.record(start + minute * 60_000L + s * 1_000L, app("api", minute * 10 + s / 30, minute)));
            }
        }
        return finished;
    }

    @Test
    void tenFinishedMinutesAreDownsampledToTheirMeanACounterToItsHighest() {
        HistoryStore store = new HistoryStore();
        tenMinutes(store, T0);
        List<HistoryStore.Point> finished = store.record(T0 + 600_000, app("api", 1, 9));
        HistoryStore.Point week =
                finished.stream().filter(p -> p.tier() == Tier.WEEK).findFirst().orElseThrow();
        assertEquals(T0, week.time());
        // minute m's mean is m * 10 + 0.5: the ten minutes' mean 45.5
        assertEquals(45.5f, week.figures().get("api").get(Metrics.CPU));
        assertEquals(9f, week.figures().get("api").get(Metrics.RESTARTS));
        // two days on, out of the minutes' ring: the 10 minutes are what a range shows of them
        store.record(T0 + 48 * 3_600_000L, app("api", 1, 9));
        assertEquals(Arrays.asList(45.5f, 1f, null), series(store, "api", Metrics.CPU, T0, T0 + 1_200_000, 600_000));
        assertEquals(List.of(23.25f), series(store, "api", Metrics.CPU, T0, T0, 1_200_000), "20 minutes: 2 cells");
    }

    @Test
    void theTenMinutesUnderWayAreGatheredAgainFromTheMinutesReadBack() {
        HistoryStore written = new HistoryStore();
        List<HistoryStore.Point> points = new java.util.ArrayList<>(tenMinutes(written, T0));
        points.addAll(written.underWay());
        // a daemon killed -9 half way wrote the finished minutes (and a stopping one the minute under way)
        long now = T0 + 599_000;
        HistoryStore read = new HistoryStore();
        for (HistoryStore.Point point : points) {
            if (point.tier() != Tier.FINE) {
                read.restore(point, now);
                read.restore(point, now); // a minute written twice (a stop, then the next daemon)
            }
        }
        read.restored();
        HistoryStore.Point week = read.record(T0 + 600_000, app("api", 1, 9)).stream()
                .filter(p -> p.tier() == Tier.WEEK)
                .findFirst()
                .orElseThrow();
        assertEquals(T0, week.time());
        assertEquals(45.5f, week.figures().get("api").get(Metrics.CPU), "each minute counted once");
    }
}
