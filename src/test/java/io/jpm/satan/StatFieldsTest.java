package io.jpm.satan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.process.ProcStat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StatFieldsTest {
    /** A stat line of a process named "a) (b c", as the kernel writes it (fields 1-52). */
    private static final String ODD_NAME = "4242 (a) (b c) S 1 4240 4240 0 -1 4194560 120 0 0 0 "
            + "37 5 0 0 20 0 1 0 8123 12345678 321 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0 "
            + "0 0 0 0 0 0 0 0\n";

    @Test
    void readsTheGroupTicksAndPagesAsProcStatDoes() throws Exception {
        String line = Files.readString(Path.of("/proc/self/stat"));
        ProcStat expected = ProcStat.parse((int) ProcessHandle.current().pid(), line);
        byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
        long[] out = new long[3];
        assertTrue(StatFields.parse(bytes, bytes.length, out));
        assertArrayEquals(new long[] {expected.pgrp(), expected.cpuTicks(), expected.rssPages()}, out);
    }

    @Test
    void countsFieldsFromTheLastParenthesis() {
        byte[] bytes = ODD_NAME.getBytes(StandardCharsets.US_ASCII);
        long[] out = new long[3];
        assertTrue(StatFields.parse(bytes, bytes.length, out));
        assertArrayEquals(new long[] {4240, 42, 321}, out);
        ProcStat same = ProcStat.parse(4242, ODD_NAME);
        assertArrayEquals(new long[] {same.pgrp(), same.cpuTicks(), same.rssPages()}, out);
    }

    @Test
    void aCutOrGarbledLineIsNoSample() {
        long[] out = new long[3];
        byte[] cut = ODD_NAME.substring(0, 60).getBytes(StandardCharsets.US_ASCII);
        assertFalse(StatFields.parse(cut, cut.length, out));
        byte[] noName = "4242 S 1 2 3".getBytes(StandardCharsets.US_ASCII);
        assertFalse(StatFields.parse(noName, noName.length, out));
        byte[] letters = ODD_NAME.replace(" 37 5 ", " x7 5 ").getBytes(StandardCharsets.US_ASCII);
        assertFalse(StatFields.parse(letters, letters.length, out));
    }
}
