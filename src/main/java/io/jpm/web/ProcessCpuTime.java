package io.jpm.web;

import io.jpm.protocol.BlockingCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * The CPU time one process has used, in seconds: utime + stime from {@code /proc/<pid>/stat} over
 * the clock tick, as Prometheus' own process collector reads it (its {@code process_cpu_seconds_total}).
 * The kernel only adds to both fields while the pid lives, so the counter built from them never goes
 * down across scrapes of one run; a new run (a new pid) starts again from its own time, which
 * Prometheus reads as a counter reset.
 */
final class ProcessCpuTime {
    /** Linux's USER_HZ, fixed at 100 on every architecture jpm runs on (procfs and Satan use it too). */
    static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpuTime() {}

    /** The seconds pid has used, or empty when it is not running (or ended while we looked). */
    static OptionalDouble of(int pid) {
        BlockingCall.check("a read of /proc/" + pid + "/stat");
        if (pid <= 0) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(secondsOf(Files.readString(Path.of("/proc", Integer.toString(pid), "stat"))));
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }

    /** From a stat line: the command in parentheses may hold spaces, so fields count from the last ')'. */
    static double secondsOf(String statLine) {
        String[] f = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state): utime is field 14, stime field 15
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    }
}
