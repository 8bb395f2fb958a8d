package io.jpm.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The cost of a full history, measured by filling one fast (bench, not a test): {@code apps} Node-like
 * apps (cpu, memory, restarts, online, req/min, two event loop latencies, two metrics of their own,
 * and the host's totals) sampled every {@code sampleSeconds} for {@code hours} hours of simulated time,
 * recorded and written as the history verticle does, files pruned as the clock goes. Prints the series,
 * the rings' bytes, the heap they hold (measured), the files' bytes, then the time to read them back
 * and to answer a query (24 h and 7 days of every series, an hour of one). Run (docs/BENCHMARKS.md, "History"):
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) io.jpm.history.HistoryFill DIR 200 168 30 [app-]</pre>
 *
 * (the last argument: the apps' names but for their number, {@code idle-} for bench/history.sh's)
 */
public final class HistoryFill {
    private HistoryFill() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int apps = Integer.parseInt(args[1]);
        int hours = Integer.parseInt(args[2]);
        int sampleSeconds = Integer.parseInt(args[3]);
        String prefix = args.length > 4 ? args[4] : "app-";
        long heapBefore = usedHeap();
        HistoryStore store = new HistoryStore();
        HistoryFiles files = new HistoryFiles(dir, 1);
        Random random = new Random(46);
        long start = System.currentTimeMillis() / 3_600_000 * 3_600_000 - hours * 3_600_000L;
        long end = start + hours * 3_600_000L;
        List<HistoryStore.Point> unwritten = new ArrayList<>();
        long filling = System.nanoTime();
        long writing = 0;
        long recording = 0;
        int writes = 0;
        int samples = 0;
        for (long t = start; t < end; t += sampleSeconds * 1_000L) {
            Map<String, Map<String, Double>> sample = sample(apps, random, prefix);
            long began = System.nanoTime();
            List<HistoryStore.Point> finished = store.record(t, sample);
            recording += System.nanoTime() - began;
            samples++;
            unwritten.addAll(finished);
            if (finished.stream().anyMatch(p -> p.tier() != Tier.FINE)) {
                began = System.nanoTime();
                files.append(unwritten, t);
                writing += System.nanoTime() - began;
                writes++;
                unwritten.clear();
            }
        }
        long filled = (System.nanoTime() - filling) / 1_000_000;
        long heapAfter = usedHeap();
        System.out.printf(
                "filled %d h of %d apps sampled every %d s in %d ms: a sample recorded in %.2f ms, a minute written"
                        + " in %.2f ms (means)%n",
                hours, apps, sampleSeconds, filled, recording / 1e6 / samples, writing / 1e6 / writes);
        System.out.printf(
                "series %d, rings' chunks %.1f MiB, heap held %.1f MiB%n",
                store.seriesCount(), store.bytes() / (double) (1 << 20), (heapAfter - heapBefore) / (double) (1 << 20));
        long fine = bytes(dir, "fine-");
        long minute = bytes(dir, "minute-");
        long week = bytes(dir, "week-");
        System.out.printf(
                "files: fine %.1f MiB, minute %.1f MiB, week %.1f MiB, total %.1f MiB%n",
                fine / (double) (1 << 20),
                minute / (double) (1 << 20),
                week / (double) (1 << 20),
                (fine + minute + week) / (double) (1 << 20));
        for (int round = 0; round < 3; round++) {
            long reading = System.nanoTime();
            HistoryStore read = new HistoryStore();
            files.load(end, (tier, time, subject, metrics) -> read.restore(tier, time, subject, metrics, end));
            read.restored();
            long readMs = (System.nanoTime() - reading) / 1_000_000;
            long asking = System.nanoTime();
            int points = read.query(end - 24 * 3_600_000L, end, 120_000, s -> true)
                    .times()
                    .size();
            long askMs = (System.nanoTime() - asking) / 1_000_000;
            long weekly = System.nanoTime();
            read.query(end - 168 * 3_600_000L, end, 1_200_000, s -> true);
            long weekMs = (System.nanoTime() - weekly) / 1_000_000;
            long one = System.nanoTime();
            read.query(end - 3_600_000, end, 5_000, s -> s.equals(prefix + 7)).times();
            long oneMs = (System.nanoTime() - one) / 1_000_000;
            System.out.printf(
                    "read back in %d ms (%d series); %d points of every series (24 h at 2 m) in %d ms; "
                            + "7 days of every series at 20 m in %d ms; the last hour of one app at 5 s in %d ms%n",
                    readMs, read.seriesCount(), points, askMs, weekMs, oneMs);
        }
    }

    private static Map<String, Map<String, Double>> sample(int apps, Random random, String prefix) {
        Map<String, Map<String, Double>> figures = new LinkedHashMap<>();
        double cpu = 0;
        double memory = 0;
        for (int i = 0; i < apps; i++) {
            Map<String, Double> app = new LinkedHashMap<>();
            app.put(Metrics.CPU, random.nextDouble() * 5);
            app.put(Metrics.MEMORY, 40e6 + random.nextInt(20_000_000));
            app.put(Metrics.RESTARTS, (double) (i % 3));
            app.put(Metrics.ONLINE, 1.0);
            app.put(Metrics.REQ_MIN, (double) random.nextInt(600));
            app.put(Metrics.LOOP_MS, random.nextDouble() * 2);
            app.put(Metrics.LOOP_P95_MS, random.nextDouble() * 8);
            app.put(Metrics.CUSTOM + "queue length", (double) random.nextInt(50));
            app.put(Metrics.CUSTOM + "jobs_total", (double) random.nextInt(100_000));
            cpu += app.get(Metrics.CPU);
            memory += app.get(Metrics.MEMORY);
            figures.put(prefix + i, app);
        }
        figures.put(
                Figures.HOST,
                Map.of(Metrics.CPU, cpu, Metrics.MEMORY, memory, Metrics.RESTARTS, 0.0, Metrics.ONLINE, (double) apps));
        return figures;
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static long bytes(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix))
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }
}
