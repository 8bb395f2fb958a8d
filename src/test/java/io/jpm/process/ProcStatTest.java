package io.jpm.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProcStatTest {

    /**
     * A 52-field stat line per proc(5). Every field jpm does not read holds 9000 + its number, so a
     * parser reading the wrong field gets a value no assertion expects.
     */
    private static String statLine(
            int pid, String comm, char state, int pgrp, long utime, long stime, long rss, int exitCode) {
        StringBuilder sb = new StringBuilder()
                .append(pid)
                .append(" (")
                .append(comm)
                .append(") ")
                .append(state);
        for (int field = 4; field <= 52; field++) {
            long value =
                    switch (field) {
                        case 5 -> pgrp;
                        case 14 -> utime;
                        case 15 -> stime;
                        case 24 -> rss;
                        case 52 -> exitCode;
                        default -> 9000 + field;
                    };
            sb.append(' ').append(value);
        }
        return sb.append('\n').toString();
    }

    @Test
    void readsTheFieldsByProcNumbering() {
        String line = statLine(1234, "node", 'S', 1200, 250, 50, 4096, 0);
        assertEquals(52, line.trim().split(" ").length);
        ProcStat stat = ProcStat.parse(1234, line);
        assertEquals(new ProcStat(1234, 'S', 1200, 300, 4096, 0), stat);
    }

    @Test
    void commandNameWithSpacesAndParentheses() {
        String line = statLine(1234, "my (weird) app", 'Z', 1234, 7, 3, 0, 3 << 8);
        ProcStat stat = ProcStat.parse(1234, line);
        assertEquals('Z', stat.state());
        assertEquals(1234, stat.pgrp());
        assertEquals(10, stat.cpuTicks());
        assertEquals(0, stat.rssPages());
        assertEquals(3 << 8, stat.waitStatus());
        assertTrue(stat.isZombie());
    }

    @Test
    void commandNameEndingInAParenthesis() {
        ProcStat stat = ProcStat.parse(77, statLine(77, ") x) (", 'R', 70, 1, 2, 33, 0));
        assertEquals('R', stat.state());
        assertEquals(70, stat.pgrp());
        assertEquals(3, stat.cpuTicks());
        assertEquals(33, stat.rssPages());
    }

    @Test
    void shortLineFromAnOldKernelHasNoWaitStatus() {
        String full = statLine(5, "sh", 'S', 5, 1, 1, 10, 777);
        String[] words = full.trim().split(" ");
        String short44 = String.join(" ", Arrays.copyOf(words, 44));
        ProcStat stat = ProcStat.parse(5, short44);
        assertEquals(0, stat.waitStatus());
        assertEquals(10, stat.rssPages());
    }

    @Test
    void parsesThisJvmsOwnStat() throws Exception {
        int pid = (int) ProcessHandle.current().pid();
        String line = Files.readString(Path.of("/proc/self/stat"));
        ProcStat stat = ProcStat.parse(pid, line);
        assertEquals(pid, stat.pid());
        assertFalse(stat.isZombie());
        assertTrue(stat.rssPages() > 0, "rss " + stat.rssPages());
        assertTrue(stat.pgrp() > 0, "pgrp " + stat.pgrp());
    }

    @Test
    void zombieStates() {
        assertTrue(new ProcStat(1, 'Z', 1, 0, 0, 0).isZombie());
        assertTrue(new ProcStat(1, 'X', 1, 0, 0, 0).isZombie());
        assertFalse(new ProcStat(1, 'S', 1, 0, 0, 0).isZombie());
        assertFalse(new ProcStat(1, 'R', 1, 0, 0, 0).isZombie());
    }

    @Test
    void exitStatusDecodesAnExitCode() {
        assertEquals(ProcessLauncher.ExitStatus.code(3), zombie(3 << 8).exitStatus());
        assertEquals(ProcessLauncher.ExitStatus.code(0), zombie(0).exitStatus());
        assertEquals(ProcessLauncher.ExitStatus.code(255), zombie(0x0100 * 255).exitStatus());
        assertNull(zombie(3 << 8).exitStatus().signal());
    }

    @Test
    void exitStatusDecodesASignal() {
        ProcessLauncher.ExitStatus killed = zombie(9).exitStatus();
        assertEquals(Signal.SIGKILL, killed.signal());
        assertNull(killed.exitCode());
        assertEquals(
                ProcessLauncher.ExitStatus.killedBy(Signal.SIGTERM), zombie(15).exitStatus());
    }

    @Test
    void coreDumpFlagDoesNotHideTheSignal() {
        // 0x80 is WCOREDUMP: a SIGSEGV that dumped core.
        assertEquals(
                ProcessLauncher.ExitStatus.killedBy(Signal.SIGSEGV),
                zombie(0x80 | 11).exitStatus());
    }

    @Test
    void realTimeSignalBecomes128PlusItsNumber() {
        assertEquals(ProcessLauncher.ExitStatus.code(128 + 34), zombie(34).exitStatus());
    }

    private static ProcStat zombie(int waitStatus) {
        return ProcStat.parse(42, statLine(42, "app", 'Z', 42, 0, 0, 0, waitStatus));
    }
}
