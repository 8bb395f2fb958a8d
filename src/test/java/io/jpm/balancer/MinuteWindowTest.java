package io.jpm.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MinuteWindowTest {
    private static final long T0 = 1_795_000_000_000L;

    @Test
    void countsTheLastMinuteAndForgetsWhatIsOlder() {
        MinuteWindow window = new MinuteWindow();
        assertEquals(0, window.perMinute(T0));
        window.add(T0);
        window.add(T0 + 1);
        window.add(T0 + 25_000);
        assertEquals(3, window.perMinute(T0 + 30_000));
        // 55 s later the first bucket (T0's) is still inside the six buckets; 65 s later it is not
        assertEquals(3, window.perMinute(T0 + 55_000));
        assertEquals(1, window.perMinute(T0 + 65_000));
        assertEquals(0, window.perMinute(T0 + 120_000));
    }

    @Test
    void aBucketReusedAfterAMinuteStartsFromZero() {
        MinuteWindow window = new MinuteWindow();
        window.add(T0);
        window.add(T0 + 60_000); // the same bucket index, a new slot
        assertEquals(1, window.perMinute(T0 + 60_000));
    }
}
