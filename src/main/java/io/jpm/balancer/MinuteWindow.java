package io.jpm.balancer;

/**
 * How many connections (HTTP mode: requests) an instance was handed over the last minute, pm2
 * monit's "req/min": six 10-second buckets, turned over lazily as time passes (no timer), so
 * counting costs an array write per connection. Synchronized: HTTP mode counts from several event
 * loops (uncontended most of the time, a lock costs a few nanoseconds then).
 */
final class MinuteWindow {
    static final long BUCKET_MS = 10_000;
    private static final int BUCKETS = 6;

    private final long[] counts = new long[BUCKETS];
    /** Which 10-second slot since the epoch each bucket holds now. */
    private final long[] slots = new long[BUCKETS];

    synchronized void add(long nowMs) {
        long slot = nowMs / BUCKET_MS;
        int i = (int) (slot % BUCKETS);
        if (slots[i] != slot) {
            slots[i] = slot;
            counts[i] = 0;
        }
        counts[i]++;
    }

    /** The count over the last six buckets: the current one (partly gone) and the five before. */
    synchronized long perMinute(long nowMs) {
        long slot = nowMs / BUCKET_MS;
        long sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (slot - slots[i] < BUCKETS && slots[i] <= slot) {
                sum += counts[i];
            }
        }
        return sum;
    }
}
