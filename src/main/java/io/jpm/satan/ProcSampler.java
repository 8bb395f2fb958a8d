package io.jpm.satan;

import io.jpm.process.ProcStat;
import io.jpm.protocol.BlockingCall;
import io.jpm.protocol.MetricsSample;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU % and resident memory of whole process groups, read from /proc. Blocking: run it on a worker.
 * CPU is the change in user+system ticks of the group since the previous sample.
 */
final class ProcSampler {

    private static final long PAGE_SIZE = 4096;

    private Map<Integer, Long> previousTicks = new HashMap<>();
    private long previousNanos;

    /** One /proc/<pid>/stat, read whole: 52 fields of numbers and a 16-byte name fit with room to spare. */
    private final byte[] stat = new byte[1024];

    /** @param groups pm_id by process-group id (an instance's pid) */
    List<MetricsSample.Usage> sample(Map<Integer, Integer> groups) {
        BlockingCall.check("a read of /proc/<pid>/stat of every process");
        String[] names = new File("/proc").list();
        if (names == null) {
            return List.of();
        }
        Map<Integer, long[]> totals = new HashMap<>();
        long[] fields = new long[3];
        for (String name : names) {
            if (isPid(name) && read(name, fields) && groups.containsKey((int) fields[0])) {
                long[] t = totals.computeIfAbsent((int) fields[0], k -> new long[2]);
                t[0] += fields[1];
                t[1] += fields[2] * PAGE_SIZE;
            }
        }
        long now = System.nanoTime();
        double seconds = previousNanos == 0 ? 0 : (now - previousNanos) / 1e9;
        Map<Integer, Long> ticks = new HashMap<>();
        List<MetricsSample.Usage> usages = new ArrayList<>();
        totals.forEach((pgid, t) -> {
            ticks.put(pgid, t[0]);
            Long before = previousTicks.get(pgid);
            double cpu = before == null || seconds <= 0
                    ? 0
                    : Math.max(0, (t[0] - before) / ProcStat.TICKS_PER_SECOND / seconds * 100);
            usages.add(new MetricsSample.Usage(groups.get(pgid), pgid, Math.round(cpu * 10) / 10.0, t[1]));
        });
        previousTicks = ticks;
        previousNanos = now;
        return usages;
    }

    /**
     * Reads a process's group, cpu ticks and resident pages into {@code fields}, false if it ended
     * meanwhile. Bytes parsed in place rather than {@link io.jpm.process.ProcStat#parse}'s split of a
     * String: the kernel's side is ~15 µs a file, and the split and its garbage added ~10 more.
     */
    private boolean read(String pid, long[] fields) {
        int length;
        try (FileInputStream in = new FileInputStream("/proc/" + pid + "/stat")) {
            length = in.read(stat);
        } catch (IOException e) {
            return false; // the process ended while we looked
        }
        return length > 0 && StatFields.parse(stat, length, fields);
    }

    /** A loop, not a stream: called for each of /proc's ~300 entries at every sample. */
    private static boolean isPid(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return !name.isEmpty();
    }
}
