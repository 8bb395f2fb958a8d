package io.jpm.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SeriesTest {
    /**
     * Skipping a range of slots leaves the rings as finishing each of its cells with no figure does:
     * the same cells, the same chunks dropped (ranges that wrap around the ring, end on a chunk's last
     * cell or in its middle, over chunks that are there or not).
     */
    @Test
    void skippingSlotsIsFinishingEachWithNoFigure() {
        Random random = new Random(47);
        for (int trial = 0; trial < 2_000; trial++) {
            Tier fine = Tier.values()[random.nextInt(Tier.values().length)];
            int slots = fine.slots;
            Series skipped = new Series("api", Metrics.CPU, 0);
            Series finished = new Series("api", Metrics.CPU, 0);
            for (int i = random.nextInt(40); i > 0; i--) {
                int cell = random.nextInt(slots);
                float value = random.nextInt(5) == 0 ? Float.NaN : random.nextFloat();
                skipped.finish(fine, cell, value);
                finished.finish(fine, cell, value);
            }
            long from = random.nextInt(3 * slots);
            long to = from + (random.nextBoolean() ? random.nextInt(slots + 1) : random.nextInt(3) * Series.CHUNK);
            to = Math.min(to, from + slots);
            skipped.skip(fine, from, to);
            for (long slot = from; slot < to; slot++) {
                finished.finish(fine, (int) (slot % slots), Float.NaN);
            }
            for (int cell = 0; cell < slots; cell++) {
                assertEquals(
                        Float.floatToIntBits(finished.get(fine, cell)),
                        Float.floatToIntBits(skipped.get(fine, cell)),
                        "trial " + trial + ", cell " + cell + " after " + from + ".." + to);
            }
            assertEquals(finished.bytes(), skipped.bytes(), "trial " + trial + ": the chunks held");
        }
    }
}
