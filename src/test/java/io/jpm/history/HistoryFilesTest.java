package io.jpm.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFilesTest {
    static final long T0 = HistoryStoreTest.T0;

    @TempDir
    Path home;

    private static HistoryStore.Point minute(long time, float cpu) {
        return new HistoryStore.Point(Tier.MINUTE, time, Map.of("api", Map.of(Metrics.CPU, cpu)));
    }

    private static List<HistoryStore.Point> load(HistoryFiles files, long now) throws IOException {
        List<HistoryStore.Point> read = new ArrayList<>();
        files.load(now, read::add);
        return read;
    }

    @Test
    void whatIsWrittenIsReadBackOwnerOnly() throws IOException {
        HistoryFiles files = new HistoryFiles(home.resolve("history"));
        long now = T0 + 300_000;
        files.append(List.of(minute(T0, 1), minute(T0 + 60_000, 2)), now);
        files.append(
                List.of(new HistoryStore.Point(Tier.FINE, T0 + 65_000, Map.of("", Map.of(Metrics.MEMORY, 3e9f)))), now);
        List<HistoryStore.Point> read = load(files, now);
        assertEquals(3, read.size());
        // an hour's files in a fixed order: by writer, then the fine file before the minute file
        assertEquals(Tier.FINE, read.get(0).tier());
        assertEquals(3e9f, read.get(0).figures().get("").get(Metrics.MEMORY));
        assertEquals(2f, read.get(2).figures().get("api").get(Metrics.CPU));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.dir())));
        try (var listing = Files.list(files.dir())) {
            for (Path file : listing.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            }
        }
        HistoryStore store = new HistoryStore();
        read.forEach(p -> store.restore(p, now));
        assertEquals(
                List.of(1f, 2f),
                store.query(T0, T0 + 60_000, 60_000, s -> true)
                        .figures()
                        .get("api")
                        .get(Metrics.CPU));
    }

    @Test
    void aTornWriteAtTheEndLosesOnlyItselfAndTheNextDaemonWritesFilesOfItsOwn() throws IOException {
        HistoryFiles files = new HistoryFiles(home.resolve("history"), 1);
        long now = T0 + 300_000;
        files.append(List.of(minute(T0, 1)), now);
        // a kill in the middle of a write: half a gzip member at the end of the file
        byte[] member = gzip(HistoryFiles.line(minute(T0 + 60_000, 2)));
        Files.write(
                files.file(Tier.MINUTE, T0 / HistoryFiles.HOUR_MS),
                Arrays.copyOf(member, member.length / 2),
                StandardOpenOption.APPEND);
        assertEquals(1, load(files, now).size(), "the line before the torn member");
        // the next daemon, in the same hour
        HistoryFiles next = new HistoryFiles(home.resolve("history"), 2);
        next.append(List.of(minute(T0 + 120_000, 5)), now);
        List<HistoryStore.Point> read = load(next, now);
        assertEquals(
                List.of(T0, T0 + 120_000),
                read.stream().map(HistoryStore.Point::time).toList());
    }

    @Test
    void whatIsNotAPointEndsTheFileAndThePointsBeforeItStand() throws IOException {
        HistoryFiles files = new HistoryFiles(home.resolve("history"));
        long now = T0 + 300_000;
        files.append(List.of(minute(T0, 1)), now);
        Path file = files.file(Tier.MINUTE, T0 / HistoryFiles.HOUR_MS);
        Files.write(file, gzip("{\"t\":12, not json\n"), StandardOpenOption.APPEND);
        files.append(List.of(minute(T0 + 60_000, 2)), now);
        assertEquals(
                List.of(T0),
                load(files, now).stream().map(HistoryStore.Point::time).toList());
        Files.write(file, gzip("{\"x\":1}\n"), StandardOpenOption.APPEND);
        assertEquals(
                List.of(T0),
                load(files, now).stream().map(HistoryStore.Point::time).toList());
    }

    @Test
    void garbageAfterTheMembersEndsTheFile() throws IOException {
        HistoryFiles files = new HistoryFiles(home.resolve("history"));
        long now = T0 + 300_000;
        files.append(List.of(minute(T0, 1), minute(T0 + 60_000, 2)), now);
        Path file = files.file(Tier.MINUTE, T0 / HistoryFiles.HOUR_MS);
        Files.write(file, "not gzip at all".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        assertEquals(
                List.of(T0, T0 + 60_000),
                load(files, now).stream().map(HistoryStore.Point::time).toList());
    }

    @Test
    void filesPastKeepingAreRemovedAndNotRead() throws IOException {
        HistoryFiles files = new HistoryFiles(home.resolve("history"));
        files.append(
                List.of(minute(T0, 1), new HistoryStore.Point(Tier.FINE, T0, Map.of("api", Map.of(Metrics.CPU, 1f)))),
                T0 + 1_000);
        long twoHoursOn = T0 + 2 * HistoryFiles.HOUR_MS + 1_000;
        assertEquals(1, load(files, twoHoursOn).size(), "the fine file is past keeping, the minute file not");
        files.prune(twoHoursOn);
        assertFalse(Files.exists(files.file(Tier.FINE, T0 / HistoryFiles.HOUR_MS)));
        assertTrue(Files.exists(files.file(Tier.MINUTE, T0 / HistoryFiles.HOUR_MS)));
        files.prune(T0 + 25 * HistoryFiles.HOUR_MS + 1_000);
        assertFalse(Files.exists(files.file(Tier.MINUTE, T0 / HistoryFiles.HOUR_MS)));
    }

    @Test
    void theTenMinutesGoToADaysFileKeptEightDays() throws IOException {
        HistoryFiles files = new HistoryFiles(home.resolve("history"));
        long day = T0 - T0 % (24 * HistoryFiles.HOUR_MS);
        files.append(
                List.of(new HistoryStore.Point(Tier.WEEK, day + 600_000, Map.of("api", Map.of(Metrics.CPU, 1f)))), day);
        files.append(
                List.of(new HistoryStore.Point(
                        Tier.WEEK, day + 23 * HistoryFiles.HOUR_MS, Map.of("api", Map.of(Metrics.CPU, 2f)))),
                day);
        assertEquals(
                files.file(Tier.WEEK, day / HistoryFiles.HOUR_MS),
                files.file(Tier.WEEK, day / HistoryFiles.HOUR_MS + 23),
                "one file a day");
        long sevenDaysOn = day + 7 * 24 * HistoryFiles.HOUR_MS;
        assertEquals(
                List.of(1f, 2f),
                load(files, sevenDaysOn).stream()
                        .map(p -> p.figures().get("api").get(Metrics.CPU))
                        .toList());
        files.prune(sevenDaysOn);
        assertTrue(Files.exists(files.file(Tier.WEEK, day / HistoryFiles.HOUR_MS)));
        files.prune(day + 9 * 24 * HistoryFiles.HOUR_MS);
        assertFalse(Files.exists(files.file(Tier.WEEK, day / HistoryFiles.HOUR_MS)));
    }

    @Test
    void aFolderRemovedBetweenTwoWritesIsMadeAgain() throws IOException {
        HistoryFiles files = new HistoryFiles(home.resolve("history"));
        long now = T0 + 300_000;
        files.append(List.of(minute(T0, 1)), now);
        Files.delete(files.file(Tier.MINUTE, T0 / HistoryFiles.HOUR_MS));
        Files.delete(files.dir());
        files.append(List.of(minute(T0 + 60_000, 2)), now);
        assertEquals(
                List.of(T0 + 60_000),
                load(files, now).stream().map(HistoryStore.Point::time).toList());
    }

    @Test
    void aFolderSwappedForALinkIsRefused() throws IOException {
        HistoryFiles files = new HistoryFiles(home.resolve("history"));
        long now = T0 + 300_000;
        files.append(List.of(minute(T0, 1)), now);
        Path elsewhere = Files.createDirectory(home.resolve("elsewhere"));
        Files.move(files.dir(), home.resolve("moved"));
        Files.createSymbolicLink(files.dir(), elsewhere);
        JpmException refused =
                assertThrows(JpmException.class, () -> files.append(List.of(minute(T0 + 60_000, 2)), now));
        assertTrue(refused.getMessage().contains("is a symbolic link"), refused.getMessage());
        try (var left = Files.list(elsewhere)) {
            assertEquals(0, left.count(), "nothing written through the link");
        }
    }

    @Test
    void noFolderIsNoHistory() throws IOException {
        assertEquals(List.of(), load(new HistoryFiles(home.resolve("none")), T0));
    }

    static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
