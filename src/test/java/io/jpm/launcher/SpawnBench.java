package io.jpm.launcher;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.management.OperatingSystemMXBean;
import io.jpm.process.LaunchSpec;
import io.jpm.process.ProcessLauncher;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cost of one spawn, old launcher against new, in one JVM, taking turns (bench/spawn.sh runs it):
 * batches of {@code n} spawns of {@code true}, one after the other, each waited for until its exit
 * is reported. Per spawn: the time spawn() blocks its caller (a daemon worker), the time until the
 * exit is reported (every exec of the path included), and the CPU of this JVM plus its reaped
 * children (getrusage), which counts the execs of setsid and env on the old path.
 *
 * <p>Not a test: {@code java -cp target/jpm.jar:target/test-classes io.jpm.launcher.SpawnBench [rounds] [n]}.
 */
public final class SpawnBench {
    static {
        Native.register("c");
    }

    private static native int getrusage(int who, Memory usage);

    private static final int RUSAGE_CHILDREN = -1;

    private SpawnBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        Map<String, ProcessLauncher> launchers = new LinkedHashMap<>();
        launchers.put("nuprocess", new NuProcessLauncher());
        launchers.put("posix_spawn", new PosixSpawnLauncher());
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        try (ListeningSocket socket = new ListeningSocket()) {
            launchers.put("posix_spawn+fd3", launchers.get("posix_spawn"));
            List<String> order = new ArrayList<>(launchers.keySet());
            for (int round = 0; round <= rounds; round++) {
                if (round % 2 == 1) {
                    Collections.reverse(order);
                }
                for (String name : order) {
                    LaunchSpec spec = new LaunchSpec(List.of("true"), Path.of("/"), Map.of("PATH", "/usr/bin:/bin"));
                    if (name.endsWith("+fd3")) {
                        spec = spec.passing(List.of(new LaunchSpec.Passed(socket.fd, "bench")));
                    }
                    double[] r = batch(launchers.get(name), spec, n);
                    if (round > 0) { // round 0 warms up
                        results.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
                    }
                }
            }
        }
        System.out.printf(
                "%d rounds of %d spawns of `true`, one after the other; medians of the rounds' means%n", rounds, n);
        System.out.println("| launcher | spawn() blocks | spawn to exit reported | CPU per spawn (JVM + children) |");
        System.out.println("| --- | ---: | ---: | ---: |");
        launchers.keySet().stream().filter(results::containsKey).forEach(name -> print(name, results.get(name)));
    }

    private static void print(String name, List<double[]> rows) {
        System.out.printf(
                "| %s | %.2f ms | %.2f ms | %.2f ms |%n", name, median(rows, 0), median(rows, 1), median(rows, 2));
    }

    /** {mean spawn() ms, mean spawn-to-exit ms, CPU ms per spawn}. */
    private static double[] batch(ProcessLauncher launcher, LaunchSpec spec, int n) throws Exception {
        long cpu0 = cpuNanos();
        long spawnNs = 0;
        long exitNs = 0;
        for (int i = 0; i < n; i++) {
            Recorder recorder = new Recorder();
            long t0 = System.nanoTime();
            launcher.spawn(spec, recorder);
            long t1 = System.nanoTime();
            recorder.awaitExit();
            long t2 = System.nanoTime();
            spawnNs += t1 - t0;
            exitNs += t2 - t0;
        }
        long cpu = cpuNanos() - cpu0;
        return new double[] {spawnNs / 1e6 / n, exitNs / 1e6 / n, cpu / 1e6 / n};
    }

    /** This JVM's CPU and its reaped children's (struct rusage: two timevals first). */
    private static long cpuNanos() {
        Memory usage = new Memory(256);
        getrusage(RUSAGE_CHILDREN, usage);
        long children = (usage.getLong(0) + usage.getLong(16)) * 1_000_000_000L
                + (usage.getLong(8) + usage.getLong(24)) * 1000L;
        long self = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        return self + children;
    }

    private static double median(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
