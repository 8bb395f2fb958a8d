package io.jpm.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The fields jpm reads from {@code /proc/<pid>/stat} (see proc(5)). The command name in parentheses
 * may hold spaces and parentheses, so fields are counted from the last ')'.
 *
 * @param state one letter: R, S, D, Z (zombie: exited, not yet reaped), T, ...
 * @param pgrp the process-group id
 * @param cpuTicks user + system time in clock ticks
 * @param rssPages resident set size in pages
 * @param waitStatus the exit status as waitpid(2) reports it (meaningful for a zombie)
 */
public record ProcStat(int pid, char state, int pgrp, long cpuTicks, long rssPages, int waitStatus) {
    /** USER_HZ: /proc counts CPU time in these ticks a second on every Linux. */
    public static final double TICKS_PER_SECOND = 100.0;

    /** The process's stat now, or null when it is gone (or /proc says what cannot be read). Blocking. */
    public static ProcStat read(int pid) {
        try {
            return parse(pid, Files.readString(Path.of("/proc", Integer.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * "pid 7449: state R, 0.04 s of CPU so far" (or "gone"): what a wait for an app's readiness that
     * ran out cannot tell by itself, an app short of CPU (R, little time) or one waiting on something (S).
     * Blocking.
     */
    public static String describe(int pid) {
        ProcStat stat = read(pid);
        return stat == null
                ? "pid " + pid + ": gone"
                : String.format(
                        Locale.ROOT,
                        "pid %d: state %c, %.2f s of CPU so far",
                        pid,
                        stat.state,
                        stat.cpuTicks / TICKS_PER_SECOND);
    }

    public static ProcStat parse(int pid, String line) {
        int close = line.lastIndexOf(')');
        String[] f = line.substring(close + 2).trim().split(" ");
        // f[0] is field 3 (state); field N is f[N - 3].
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        int waitStatus = f.length > 49 ? Integer.parseInt(f[49]) : 0;
        return new ProcStat(
                pid, f[0].charAt(0), Integer.parseInt(f[2]), utime + stime, Long.parseLong(f[21]), waitStatus);
    }

    public boolean isZombie() {
        return state == 'Z' || state == 'X';
    }

    /** The exit status a zombie left, decoded as WIFEXITED/WTERMSIG would. */
    public ProcessLauncher.ExitStatus exitStatus() {
        return ProcessLauncher.ExitStatus.ofWaitStatus(waitStatus);
    }
}
