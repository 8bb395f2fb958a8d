package io.jpm.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.config.LogRotationPolicy;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamWriterTest {
    @TempDir
    Path dir;

    private final LiveLines quiet = new LiveLines("h");

    private StreamWriter writer(LogFile file, LineFormat format) {
        return new StreamWriter("app", 1, "out", List.of(file), format);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void linesSplitAcrossReadsAreWrittenOnceWhole() throws IOException {
        LogFile file = new LogFile(dir.resolve("a.log"), LogRotationPolicy.defaults());
        StreamWriter w = writer(file, LineFormat.RAW);
        w.write(b("one\ntw"), quiet, 0);
        assertEquals("one\n", Files.readString(dir.resolve("a.log")));
        w.write(b("o\nthr"), quiet, 0);
        w.end(quiet, 0);
        assertEquals("one\ntwo\nthr\n", Files.readString(dir.resolve("a.log")));
    }

    @Test
    void anUnfinishedLineNothingFollowsIsWrittenAndItsRestFollowsOnTheSameLine() throws IOException {
        // pm2's e2e stdout-stderr.js writes "errwrite" with no newline, once a second, for ever
        LogFile file = new LogFile(dir.resolve("p.log"), LogRotationPolicy.defaults());
        StreamWriter w = writer(file, LineFormat.of("YYYY", false, "out", 1, "app"));
        w.write(b("done\nerrwrite"), quiet, 1000);
        w.writeHeld(1000 - 1, quiet, 1400);
        assertEquals("1970: done\n", Files.readString(dir.resolve("p.log")), "younger than the age asked: kept");
        w.writeHeld(1000, quiet, 1500);
        assertEquals("1970: done\n1970: errwrite", Files.readString(dir.resolve("p.log")));
        w.write(b("errwrite\nnext\n"), quiet, 2000);
        assertEquals("1970: done\n1970: errwriteerrwrite\n1970: next\n", Files.readString(dir.resolve("p.log")));
    }

    @Test
    void aChunkWhoseFormattedLinesOutgrowTheBufferIsWrittenWholeAndInOrder() throws IOException {
        LogFile file = new LogFile(dir.resolve("t.log"), LogRotationPolicy.defaults());
        StreamWriter w = writer(file, LineFormat.of("YYYY", false, "out", 1, "app"));
        StringBuilder chunk = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 1; chunk.length() < 4 * StreamWriter.OUT_FLUSH; i++) {
            chunk.append(i).append('\n');
            expected.append("1970: ").append(i).append('\n');
        }
        w.write(b(chunk + "tail"), quiet, 0);
        w.end(quiet, 0);
        assertEquals(expected + "1970: tail\n", Files.readString(dir.resolve("t.log")));
    }

    @Test
    void aLineLongerThanTheBufferStreamsThroughWholeAndKeepsRotationForItsEnd() throws IOException {
        LogFile file = new LogFile(dir.resolve("l.log"), new LogRotationPolicy(100, 5, false, 0));
        LineFormat dated = LineFormat.of("YYYY", false, "out", 1, "app");
        StreamWriter w = writer(file, dated);
        String big = "y".repeat(StreamWriter.MAX_PENDING);
        w.write(b("x"), quiet, 0);
        w.write(b(big), quiet, 0);
        w.write(b(big), quiet, 0);
        w.write(b("z\nnext\n"), quiet, 0);
        String first = Files.readString(dir.resolve("l.log.1"));
        assertEquals("1970: x" + big + big + "z\n", first, "one line, whole, not rotated in its middle");
        assertEquals("1970: next\n", Files.readString(dir.resolve("l.log")));
    }

    @Test
    void jsonLinesArePm2sObjectsAndOverlongOnesSplit() throws IOException {
        LogFile file = new LogFile(dir.resolve("j.log"), LogRotationPolicy.defaults());
        StreamWriter w = writer(file, LineFormat.of(null, true, "err", 7, "a\"pp"));
        w.write(b("hi \"you\"\n\u00e9\n"), quiet, 0);
        w.write(b("x".repeat(StreamWriter.MAX_PENDING + 10)), quiet, 0);
        w.end(quiet, 0);
        List<String> lines = Files.readAllLines(dir.resolve("j.log"));
        JsonObject first = new JsonObject(lines.get(0));
        assertEquals("hi \"you\"\n", first.getString("message"));
        assertEquals("1970-01-01T00:00:00Z", first.getString("timestamp"));
        assertEquals("err", first.getString("type"));
        assertEquals(7, first.getInteger("process_id"));
        assertEquals("a\"pp", first.getString("app_name"));
        assertEquals("\u00e9\n", new JsonObject(lines.get(1)).getString("message"));
        assertEquals(4, lines.size());
        assertEquals(
                StreamWriter.MAX_PENDING + 1,
                new JsonObject(lines.get(2)).getString("message").length());
        assertEquals("x".repeat(10) + "\n", new JsonObject(lines.get(3)).getString("message"));
    }

    @Test
    void rotationRenamesKeepsRetainAndGzips() throws IOException {
        Path path = dir.resolve("r.log");
        LogFile file = new LogFile(path, new LogRotationPolicy(10, 2, true, 0));
        StreamWriter w = writer(file, LineFormat.RAW);
        for (int i = 0; i < 5; i++) {
            w.write(b("line-" + i + "-xx\n"), quiet, 0);
        }
        assertEquals("line-4-xx\n", Files.readString(path));
        assertTrue(Files.exists(dir.resolve("r.log.1.gz")));
        assertTrue(Files.exists(dir.resolve("r.log.2.gz")));
        assertFalse(Files.exists(dir.resolve("r.log.3.gz")), "retain 2");
        assertFalse(Files.exists(dir.resolve("r.log.1")));
    }

    @Test
    void liveLinesAreBuiltOnlyWhileSomeoneListens() throws IOException {
        LogFile file = new LogFile(dir.resolve("v.log"), LogRotationPolicy.defaults());
        LiveLines live = new LiveLines("h");
        StreamWriter w = writer(file, LineFormat.RAW);
        w.write(b("a\n"), live, 5);
        assertEquals(null, live.take());
        live.listeners("bridge", 1);
        w.write(b("b\nc\n"), live, 5);
        JsonObject batch = live.take();
        assertEquals(2, batch.getJsonArray("lines").size());
        assertEquals(
                new JsonObject()
                        .put("app", "app")
                        .put("pm_id", 1)
                        .put("stream", "out")
                        .put("line", "b")
                        .put("time", 5L),
                batch.getJsonArray("lines").getJsonObject(0));
        assertEquals("a\nb\nc\n", Files.readString(dir.resolve("v.log")));
    }

    @Test
    void aLongLineGoesLiveInPiecesUpToTheBoundThenSaysItWasCut() throws IOException {
        LogFile file = new LogFile(dir.resolve("long.log"), LogRotationPolicy.defaults());
        LiveLines live = new LiveLines("h");
        live.listeners("bridge", 1);
        StreamWriter w = writer(file, LineFormat.RAW);
        // a prompt nothing follows: written and sent as it is, its rest follows as a piece of its own
        w.write(b("name: "), live, 1000);
        w.writeHeld(1000, live, 1600);
        w.write(b("bob\n"), live, 1700);
        assertEquals(List.of("name: ", "bob"), texts(live.take()));
        byte[] big = b("y".repeat(StreamWriter.MAX_PENDING * 3));
        w.write(big, live, 1800);
        w.write(b("tail\nnext\n"), live, 1900);
        List<String> pieces = texts(live.take());
        assertEquals(
                List.of(
                        "y".repeat(StreamWriter.MAX_PENDING)
                                + "[jpm: line cut after 65536 bytes; its rest is only in the log file]",
                        "next"),
                pieces);
        assertEquals(
                "name: bob\n" + "y".repeat(StreamWriter.MAX_PENDING * 3) + "tail\nnext\n",
                Files.readString(dir.resolve("long.log")));
    }

    @Test
    void aLiveBatchIsFullAtAMebibyteOfLines() throws IOException {
        LogFile file = new LogFile(dir.resolve("batch.log"), LogRotationPolicy.defaults());
        LiveLines live = new LiveLines("h");
        live.listeners("bridge", 1);
        StreamWriter w = writer(file, LineFormat.RAW);
        String line = "z".repeat(60_000) + "\n";
        int lines = 0;
        while (!live.full() && lines < 100) {
            w.write(b(line), live, 1);
            lines++;
        }
        assertEquals(18, lines, "1 MiB: 18 lines of 60,000 characters");
    }

    private static List<String> texts(JsonObject batch) {
        return batch.getJsonArray("lines").stream()
                .map(l -> ((JsonObject) l).getString("line"))
                .toList();
    }
}
