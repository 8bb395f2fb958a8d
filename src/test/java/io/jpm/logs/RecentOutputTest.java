package io.jpm.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.LogLine;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentOutputTest {
    private static void add(RecentOutput recent, int pmId, String stream, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        recent.add("api", pmId, stream, bytes, bytes.length);
    }

    private static List<String> shown(RecentOutput recent, List<Integer> pmIds, int n) {
        return recent.lines(pmIds, n).stream()
                .map(l -> l.pmId() + " " + l.stream() + " " + l.line())
                .toList();
    }

    @Test
    void outAndErrComeInTheOrderTheyWereRead() {
        RecentOutput recent = new RecentOutput();
        add(recent, 0, "out", "1\n");
        add(recent, 0, "err", "2\n");
        add(recent, 0, "out", "3\n4\n");
        add(recent, 0, "err", "5\n");
        assertEquals(List.of("0 out 1", "0 err 2", "0 out 3", "0 out 4", "0 err 5"), shown(recent, List.of(0), 10));
        assertEquals(List.of("0 out 4", "0 err 5"), shown(recent, List.of(0), 2));
    }

    @Test
    void aLineSplitAcrossChunksIsPlacedWhereItEnds() {
        RecentOutput recent = new RecentOutput();
        add(recent, 0, "out", "hal");
        add(recent, 0, "err", "boom\n");
        add(recent, 0, "out", "f\r\nunfinished");
        assertEquals(List.of("0 err boom", "0 out half", "0 out unfinished"), shown(recent, List.of(0), 10));
    }

    @Test
    void instancesAreMergedAndAnotherAppsPmIdStartsOver() {
        RecentOutput recent = new RecentOutput();
        add(recent, 0, "out", "a\n");
        add(recent, 1, "out", "b\n");
        add(recent, 0, "err", "c\n");
        assertEquals(List.of("0 out a", "1 out b", "0 err c"), shown(recent, List.of(0, 1), 10));
        byte[] other = "d\n".getBytes(StandardCharsets.UTF_8);
        recent.add("worker", 1, "out", other, other.length);
        assertEquals(List.of("1 out d"), shown(recent, List.of(1), 10));
        assertFalse(recent.has(List.of(7)));
        assertTrue(recent.has(List.of(0, 7)));
    }

    /** Bounded: the oldest bytes go, and a line whose start went is not shown half. */
    @Test
    void onlyTheNewestBytesAreKept() {
        RecentOutput recent = new RecentOutput();
        String line = "x".repeat(99) + "\n";
        for (int i = 0; i < 1000; i++) {
            add(
                    recent,
                    0,
                    i % 2 == 0 ? "out" : "err",
                    i + line.substring(String.valueOf(i).length()));
        }
        List<LogLine> kept = recent.lines(List.of(0), 10_000);
        assertEquals(RecentOutput.BYTES_PER_INSTANCE / 100, kept.size());
        assertTrue(kept.get(kept.size() - 1).line().startsWith("999"));
        assertTrue(kept.stream().allMatch(l -> l.line().length() == 99), "no line cut at its start");
    }
}
