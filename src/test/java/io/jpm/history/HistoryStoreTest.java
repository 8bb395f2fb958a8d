package io.jpm.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertTrue(slot.fine());
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
        HistoryStore.Point minute =
                finished.stream().filter(p -> !p.fine()).findFirst().orElseThrow();
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
        assertNull(store.query(T0, T0, 60_000, s -> true).figures().get("api"), "a day later: gone");
        assertEquals(2, store.seriesCount(), "api's series were dropped, worker's made");
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
        store.restore(new HistoryStore.Point(false, T0, Map.of("api", Map.of(Metrics.CPU, 4f))), now);
        store.restore(new HistoryStore.Point(false, now, Map.of("api", Map.of(Metrics.CPU, 10f))), now);
        store.restore(new HistoryStore.Point(false, T0 - 90_000_000, Map.of("old", Map.of(Metrics.CPU, 1f))), now);
        store.record(now + 1_000, app("api", 20, 0));
        assertEquals(4f, series(store, "api", Metrics.CPU, T0, T0, 60_000).get(0));
        assertEquals(15f, series(store, "api", Metrics.CPU, now, now, 60_000).get(0));
        assertNull(store.query(T0, now, 60_000, s -> true).figures().get("old"), "older than a day: not kept");
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
        // worker: a full fine ring (12 chunks) and two minute chunks; api: its minute chunk
        assertEquals((12 + 2 + 1L) * Series.CHUNK * Float.BYTES, store.bytes());
    }
}
