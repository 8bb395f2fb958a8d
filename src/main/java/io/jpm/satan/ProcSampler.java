package io.jpm.satan;

import io.jpm.process.ProcStat;
import io.jpm.protocol.MetricsSample;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU % and resident memory of whole process groups, read from /proc. Blocking: run it on a worker.
 * CPU is the change in user+system ticks of the group since the previous sample.
 */
final class ProcSampler {
    /** Linux's USER_HZ, fixed at 100 on every architecture jpm runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private static final long PAGE_SIZE = 4096;

    private Map<Integer, Long> previousTicks = new HashMap<>();
    private long previousNanos;

    /** @param groups pm_id by process-group id (an instance's pid) */
    List<MetricsSample.Usage> sample(Map<Integer, Integer> groups) {
        Map<Integer, long[]> totals = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(
                Path.of("/proc"), p -> isPid(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                ProcStat stat = read(dir);
                if (stat != null && groups.containsKey(stat.pgrp())) {
                    long[] t = totals.computeIfAbsent(stat.pgrp(), k -> new long[2]);
                    t[0] += stat.cpuTicks();
                    t[1] += stat.rssPages() * PAGE_SIZE;
                }
            }
        } catch (IOException e) {
            return List.of();
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
                    : Math.max(0, (t[0] - before) / TICKS_PER_SECOND / seconds * 100);
            usages.add(new MetricsSample.Usage(groups.get(pgid), pgid, Math.round(cpu * 10) / 10.0, t[1]));
        });
        previousTicks = ticks;
        previousNanos = now;
        return usages;
    }

    private static ProcStat read(Path dir) {
        try {
            return ProcStat.parse(
                    Integer.parseInt(dir.getFileName().toString()), Files.readString(dir.resolve("stat")));
        } catch (IOException | RuntimeException e) {
            return null; // the process ended while we looked
        }
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
