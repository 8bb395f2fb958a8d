package io.jpm.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jpm.config.LogRotationPolicy;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * After a disk-full episode, timestamped and JSON logs held lines twice and fragments of
 * two lines joined on one: the bytes a short write had already put on disk were written again with
 * the next chunk. Whatever the format, a full disk must only lose the lines that came while it was
 * full: no line twice, no line torn.
 */
class FullDiskLogTest {
    private static final Pattern NUMBERED = Pattern.compile("line-(\\d{6})");
    private static final Pattern DATED = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d: (.*)");

    @TempDir
    Path dir;

    private final LiveLines quiet = new LiveLines("h");

    private static LineFormat format(String kind) {
        return switch (kind) {
            case "raw" -> LineFormat.RAW;
            case "date" -> LineFormat.of("YYYY-MM-DD HH:mm:ss", false, "out", 1, "app");
            case "json" -> LineFormat.of(null, true, "out", 1, "app");
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** An app's output: numbered lines, cut into chunks at random places (mid-line too), as reads from a pipe. */
    private static final class NumberedOutput {
        private final Random random = new Random(29);
        private final StringBuilder unsent = new StringBuilder();
        int next = 1;

        byte[] chunk() {
            int size = 200 + random.nextInt(3000);
            while (unsent.length() < size) {
                unsent.append(String.format("line-%06d%n", next++));
            }
            byte[] chunk = unsent.substring(0, size).getBytes(StandardCharsets.US_ASCII);
            unsent.delete(0, size);
            return chunk;
        }

        /** The end of the last line, sent before the stream ends. */
        byte[] rest() {
            byte[] rest = unsent.toString().getBytes(StandardCharsets.US_ASCII);
            unsent.setLength(0);
            return rest;
        }
    }

    /** The number of each line in the file; a line that is not one whole numbered line of the format fails. */
    private static List<Integer> numbers(String kind, Path file) throws IOException {
        List<Integer> numbers = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String text = line;
            if (kind.equals("date")) {
                Matcher dated = DATED.matcher(line);
                text = dated.matches() ? dated.group(1) : "";
            } else if (kind.equals("json")) {
                try {
                    String message = new JsonObject(line).getString("message", "");
                    text = message.endsWith("\n") ? message.substring(0, message.length() - 1) : "";
                } catch (DecodeException e) {
                    text = "";
                }
            }
            Matcher numbered = NUMBERED.matcher(text);
            if (!numbered.matches()) {
                fail(kind + ": torn line " + (numbers.size() + 1) + " in " + file.getFileName() + ": " + line
                        + " after " + numbers.subList(Math.max(0, numbers.size() - 3), numbers.size()));
            }
            numbers.add(Integer.parseInt(numbered.group(1)));
        }
        return numbers;
    }

    private static void assertEachOnceInOrder(String kind, List<Integer> numbers) {
        for (int i = 1; i < numbers.size(); i++) {
            if (numbers.get(i) <= numbers.get(i - 1)) {
                fail(kind + ": line " + numbers.get(i) + " after line " + numbers.get(i - 1) + " (written twice)");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "date", "json"})
    void aFullDiskLosesWhatCameWhileFullAndDoublesOrTearsNoLine(String kind) throws IOException {
        SmallDisk disk = new SmallDisk(20_000);
        Path path = dir.resolve(kind + ".log");
        LogFile file = new LogFile(path, LogRotationPolicy.defaults(), false, disk);
        StreamWriter writer = new StreamWriter("app", 1, "out", List.of(file), format(kind));
        NumberedOutput app = new NumberedOutput();
        int failures = 0;
        while (disk.refused < 20) { // the app goes on writing while the disk is full
            try {
                writer.write(app.chunk(), quiet, 0);
            } catch (IOException e) {
                assertEquals("No space left on device", e.getMessage());
                failures++;
            }
        }
        disk.capacity = Long.MAX_VALUE; // space freed
        int firstAfter = app.next;
        for (int i = 0; i < 20; i++) {
            writer.write(app.chunk(), quiet, 0);
        }
        writer.write(app.rest(), quiet, 0);
        writer.end(quiet, 0);

        assertTrue(failures > 0, "the disk filled up");
        List<Integer> numbers = numbers(kind, path);
        assertEachOnceInOrder(kind, numbers);
        assertEquals(1, numbers.get(0), "the lines before the disk filled are there");
        // every line the app wrote once there was room again, the line cut by the freeing chunk aside
        List<Integer> after = numbers.subList(numbers.indexOf(firstAfter + 1), numbers.size());
        for (int i = 0; i < after.size(); i++) {
            assertEquals(firstAfter + 1 + i, after.get(i), kind + ": lost after space was freed");
        }
        assertEquals(app.next - 1, after.get(after.size() - 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "date", "json"})
    void aFullDiskUnderOneFileOfAStreamTakesNothingFromItsOtherFile(String kind) throws IOException {
        SmallDisk full = new SmallDisk(5_000);
        LogFile own = new LogFile(dir.resolve("own.log"), LogRotationPolicy.defaults(), false, full);
        Path combined = dir.resolve("combined.log");
        LogFile other = new LogFile(combined, LogRotationPolicy.defaults());
        StreamWriter writer = new StreamWriter("app", 1, "out", List.of(own, other), format(kind));
        NumberedOutput app = new NumberedOutput();
        while (full.refused < 10) {
            try {
                writer.write(app.chunk(), quiet, 0);
            } catch (IOException e) {
                // the full disk; the other file must not suffer from it
            }
        }
        try {
            writer.write(app.rest(), quiet, 0);
        } catch (IOException e) {
            // its last line, on the full disk
        }
        assertEachOnceInOrder(kind, numbers(kind, dir.resolve("own.log")));
        List<Integer> all = numbers(kind, combined);
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i + 1, all.get(i), kind + ": the file on the disk with room has every line once");
        }
        assertEquals(app.next - 1, all.size());
    }

    @Test
    void aLongLineCutByAFullDiskLeavesNoFragmentAndTheNextLineStartsItsOwn() throws IOException {
        SmallDisk disk = new SmallDisk(100_000);
        Path path = dir.resolve("long.log");
        LogFile file = new LogFile(path, LogRotationPolicy.defaults(), false, disk);
        StreamWriter writer = new StreamWriter("app", 1, "out", List.of(file), format("date"));
        writer.write("before\n".getBytes(StandardCharsets.US_ASCII), quiet, 0);
        byte[] part = "y".repeat(StreamWriter.MAX_PENDING).getBytes(StandardCharsets.US_ASCII);
        int failures = 0;
        for (int i = 0; i < 4; i++) { // streamed through: the disk fills in the middle of the line
            try {
                writer.write(part, quiet, 0);
            } catch (IOException e) {
                failures++;
            }
        }
        disk.capacity = Long.MAX_VALUE;
        writer.write("end of the long line\nafter\n".getBytes(StandardCharsets.US_ASCII), quiet, 0);
        writer.end(quiet, 0);
        assertTrue(failures > 0, "the disk filled up");
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(path)) {
            Matcher dated = DATED.matcher(line);
            String text = dated.matches() ? dated.group(1) : "torn: " + line;
            texts.add(text.length() > 40 ? text.substring(0, 40) + "... (" + text.length() + " chars)" : text);
        }
        assertEquals(List.of("before", "after"), texts, "the cut line is dropped whole, its end too");
    }
}
