package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jpm.testkit.Deadline;
import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The LogAggregator with real flooding apps: every line once and in order, pm2's file names and
 * formats, rotation under load, long lines, binary output, flush, reloadLogs and jpm logs.
 */
@ExtendWith(JpmExtension.class)
@WithoutTuning
class LogsIT {
    private static final Duration FLOOD_DEADLINE = Duration.ofSeconds(120);

    private static String flood() {
        return Jpm.fixture("flood.sh").toString();
    }

    @Test
    void oneMillionLinesFromOneAppAllThereInOrderWhileTheDaemonAnswers(Jpm jpm) throws IOException {
        jpm.ok("start", flood(), "--name", "million", "--no-autorestart", "--", "1000000");
        // the daemon keeps answering while the app floods
        assertEquals(0, jpm.cli("ping").exit());
        String out = outPath(jpm, "million");
        awaitEnd(out, "1000000\n");
        assertNumbers(List.of(Path.of(out)), 1_000_000);
    }

    @Test
    void fourAppsAtOnceEachStreamWhole(Jpm jpm) throws IOException {
        for (int i = 1; i <= 4; i++) {
            jpm.ok("start", flood(), "--name", "four" + i, "--no-autorestart", "--", "200000", "both");
        }
        for (int i = 1; i <= 4; i++) {
            JsonObject env = jpm.named("four" + i).get(0).getJsonObject("pm2_env");
            for (String key : List.of("pm_out_log_path", "pm_err_log_path")) {
                awaitEnd(env.getString(key), "200000\n");
                assertNumbers(List.of(Path.of(env.getString(key))), 200_000);
            }
        }
    }

    /**
     * A log "disk" that does not move (a FIFO nobody reads yet): the flooding app must end up
     * blocked writing its pipe (back-pressure, not memory, not loss), the daemon must keep
     * answering, and once the reader comes every line arrives, in order.
     */
    @Test
    void aStalledDiskBlocksTheFloodingAppNotTheDaemonAndLosesNothing(Jpm jpm) throws Exception {
        Path fifo = jpm.scratch.resolve("slow-disk.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        // more output than the daemon may hold for one stream (pipe + 1 MiB in flight + 1 MiB pending)
        jpm.ok("start", flood(), "--name", "stalled", "--no-autorestart", "-o", fifo.toString(), "--", "1000000");
        boolean drained = false;
        try {
            long pid = jpm.awaitStatus("stalled", "online").get(0).getInteger("pid");
            Jpm.await(
                    "the flooding app to block on its full pipe",
                    FLOOD_DEADLINE,
                    () -> blockedOnPipe(pid) ? true : null);
            assertEquals(0, jpm.cli("ping").exit(), "the daemon answers while an app is held back");
            assertEquals(
                    "online",
                    Jpm.status(jpm.named("stalled").get(0)),
                    "the app cannot have finished: its lines had nowhere to go");
            try (BufferedReader reader = Files.newBufferedReader(fifo, StandardCharsets.UTF_8)) {
                drained = true;
                for (int expected = 1; expected <= 1_000_000; expected++) {
                    assertEquals(Integer.toString(expected), reader.readLine());
                }
            }
            jpm.awaitStatus("stalled", "stopped");
        } finally {
            if (!drained) {
                // never leave the daemon's log writer stuck on the FIFO for the next tests
                try (InputStream in = Files.newInputStream(fifo)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
        }
    }

    private static boolean blockedOnPipe(long pid) {
        List<ProcessHandle> family = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(family::add);
        ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(family::add));
        for (ProcessHandle p : family) {
            try {
                if (Files.readString(Path.of("/proc", Long.toString(p.pid()), "wchan"))
                        .contains("pipe_write")) {
                    return true;
                }
            } catch (IOException e) {
                // gone meanwhile
            }
        }
        return false;
    }

    @Test
    void rotationDuringAFloodLosesAndRepeatsNothing(Jpm jpm) throws IOException {
        Path eco = jpm.scratch.resolve("rotate.json");
        Files.writeString(
                eco,
                new JsonObject()
                        .put(
                                "apps",
                                new JsonArray()
                                        .add(new JsonObject()
                                                .put("name", "rot")
                                                .put("script", flood())
                                                .put("args", "200000")
                                                .put("autorestart", false)
                                                .put("max_size", "64K")
                                                .put("retain", 100)
                                                .put("compress", true)))
                        .encode());
        jpm.ok("start", eco.toString());
        Path out = Path.of(outPath(jpm, "rot"));
        awaitEnd(out.toString(), "200000\n");
        List<Path> files = new ArrayList<>();
        for (int n = 1; Files.exists(out.resolveSibling(out.getFileName() + "." + n + ".gz")); n++) {
            files.add(out.resolveSibling(out.getFileName() + "." + n + ".gz"));
        }
        assertTrue(files.size() > 5, "rotated several times: " + files);
        assertFalse(Files.exists(out.resolveSibling(out.getFileName() + ".1")), "rotated files are gzipped");
        Collections.reverse(files);
        files.add(out);
        assertNumbers(files, 200_000);
    }

    @Test
    void aLineLongerThanOneMebibyteIsWrittenWhole(Jpm jpm) throws IOException {
        jpm.ok("start", Jpm.fixture("longline.sh").toString(), "--name", "long", "--no-autorestart");
        String out = outPath(jpm, "long");
        awaitEnd(out, "after\n");
        String text = Files.readString(Path.of(out));
        assertEquals("x".repeat(1572864) + "\nafter\n", text);
    }

    /**
     * A 100 MiB line with no newline. The CLI (64 MiB heap) died of OutOfMemoryError, the
     * HTTP route and the bridge's query left the line out without saying so (and the daemon held
     * 64 MiB per request). Each reader now shows its ends and how many bytes it left out.
     */
    @Test
    void aHundredMebibyteLineIsShownCutWithHowManyBytesWereLeftOut(Jpm jpm) throws IOException {
        WebClient web = WebClient.start(jpm, Ports.free());
        jpm.ok("start", Jpm.fixture("bigline.sh").toString(), "--name", "big");
        String out = outPath(jpm, "big");
        long size = 100L * 1024 * 1024;
        Jpm.await(
                "the 100 MiB line in " + out,
                FLOOD_DEADLINE,
                () -> Path.of(out).toFile().length() >= size ? true : null);
        String marker = "[jpm: " + (size - 64 * 1024) + " bytes of this line left out]";
        String shown = "x".repeat(32 * 1024) + marker + "x".repeat(32 * 1024);

        Jpm.Result cli = jpm.cli("logs", "big", "--lines", "5", "--nostream", "--raw");
        assertEquals(0, cli.exit(), cli.err());
        assertEquals(shown + "\n", cli.out());

        WebClient.Answer http = web.get("/api/processes/big/logs?lines=5", web.readOnly);
        assertEquals(
                200,
                http.status(),
                http.body().substring(0, Math.min(300, http.body().length())));
        JsonArray lines = http.json().getJsonArray("data");
        assertEquals(1, lines.size());
        assertEquals(shown, lines.getJsonObject(0).getString("line"));

        try (RawBridge bridge = new RawBridge(jpm.home)) {
            JsonObject reply = bridge.request(
                    "jpm.query.logs",
                    new JsonObject().put("files", new JsonArray().add(out)).put("lines", 5),
                    RawBridge.token(jpm.home, "token.readonly"));
            JsonObject file = reply.getJsonObject("body")
                    .getJsonObject("data")
                    .getJsonArray("files")
                    .getJsonObject(0);
            assertEquals(new JsonArray().add(shown), file.getJsonArray("lines"), "the reply's lines");
        }
    }

    /**
     * {@code logs --timestamp --nostream} stamped every old line with the time it was read.
     * A file's line is stamped with the time it carries (the app's --time prefix, a JSON record's
     * timestamp), or a dash where it carries none.
     */
    @Test
    void oldLinesAreStampedWithTheTimeTheyCarryOrADash(Jpm jpm) throws Exception {
        String ticker = Jpm.fixture("ticker.sh").toString();
        jpm.ok("start", ticker, "--name", "ts-timed", "--time");
        jpm.ok("start", ticker, "--name", "ts-json", "--log-type", "json");
        jpm.ok("start", ticker, "--name", "ts-plain");
        jpm.awaitLog(outPath(jpm, "ts-timed"), "tick 3");
        jpm.awaitLog(outPath(jpm, "ts-json"), "tick 3");
        jpm.awaitLog(outPath(jpm, "ts-plain"), "tick 3");
        String format = "YYYY-MM-DD HH:mm:ss.SSS";
        String timed = jpm.ok("logs", "ts-timed", "--nostream", "--out", "--lines", "3", "--timestamp", format)
                .out();
        // the stamp is the line's own time, read back: "2026-11-25 18:43:29.000 3|ts-timed | 2026-11-25T18:43:29: tick
        // 1"
        java.util.regex.Matcher own = java.util.regex.Pattern.compile(
                        "(\\d{4}-\\d\\d-\\d\\d) (\\d\\d:\\d\\d:\\d\\d)\\.000 \\d+\\|ts-timed +\\| (\\S+)T(\\S+): tick \\d+")
                .matcher(timed);
        int stamped = 0;
        while (own.find()) {
            assertEquals(own.group(1) + " " + own.group(2), own.group(3) + " " + own.group(4), timed);
            stamped++;
        }
        assertEquals(3, stamped, timed);
        // a JSON record's own timestamp
        JsonObject json = new JsonObject(jpm.ok("logs", "ts-json", "--nostream", "--out", "--lines", "1", "--json")
                .out()
                .trim());
        assertEquals(new JsonObject(json.getString("message")).getString("timestamp"), json.getString("timestamp"));
        String plain = jpm.ok("logs", "ts-plain", "--nostream", "--out", "--lines", "2", "--timestamp", format)
                .out();
        assertTrue(
                plain.matches("(?s).*\n- {23}\\d+\\|ts-plain +\\| tick \\d+\n- {23}\\d+\\|ts-plain +\\| tick \\d+\n.*"),
                plain);
    }

    /**
     * {@code jpm logs} on a terminal passed an app's escape sequences through (an OSC 52
     * sets the operator's clipboard, a CSI 2J clears the screen). On a terminal (a pty from
     * {@code script}) they are shown in caret notation unless {@code --raw}; into a pipe the lines
     * stay byte for byte.
     */
    @Test
    void escapeSequencesAreShownHarmlessOnATerminalUnlessRaw(Jpm jpm) {
        jpm.ok("start", Jpm.fixture("escapes.sh").toString(), "--name", "esc");
        jpm.awaitLog(outPath(jpm, "esc"), "red");
        String shown = onTerminal(jpm, "logs esc --nostream --out --lines 3");
        assertTrue(shown.contains("clip ^[]52;c;aGVsbG8=^G board"), shown);
        assertTrue(shown.contains("clear ^[[2J screen"), shown);
        assertTrue(shown.contains("csi ^[[31m red"), shown);
        assertFalse(shown.contains("\u001b]52") || shown.contains("\u001b[2J") || shown.contains("\u009b"), shown);
        String raw = onTerminal(jpm, "logs esc --nostream --out --lines 3 --raw");
        assertTrue(raw.contains("clip \u001b]52;c;aGVsbG8=\u0007 board") && raw.contains("\u009b31m"), raw);
        String piped =
                jpm.ok("logs", "esc", "--nostream", "--out", "--lines", "3").out();
        assertTrue(piped.contains("clear \u001b[2J screen\n") && piped.contains("csi \u009b31m red\n"), piped);
    }

    /** {@code jpm <words>} with its output on a pseudo-terminal (util-linux's script), what it printed there. */
    private static String onTerminal(Jpm jpm, String words) {
        ProcessBuilder builder = new ProcessBuilder("script", "-qec", Jpm.CLI.get(0) + " " + words, "/dev/null")
                .directory(jpm.scratch.toFile());
        builder.environment().put("JPM_HOME", jpm.home.toString());
        builder.environment().putAll(jpm.env);
        Jpm.Result result = Jpm.run(builder, jpm.scratch, "jpm " + words + " on a terminal");
        assertEquals(0, result.exit(), result.toString());
        return result.out();
    }

    @Test
    void binaryGarbageAndInvalidUtf8AreWrittenAsReceived(Jpm jpm) throws IOException {
        jpm.ok("start", Jpm.fixture("binary.sh").toString(), "--name", "bin", "--no-autorestart");
        String out = outPath(jpm, "bin");
        awaitEnd(out, "end\n");
        byte[] expected = {
            'o',
            'k',
            '\n',
            (byte) 0xff,
            (byte) 0xfe,
            0,
            (byte) 0x80,
            'b',
            'a',
            'd',
            ' ',
            (byte) 0xc3,
            0x28,
            '\n',
            'e',
            'n',
            'd',
            '\n'
        };
        assertArrayEquals(expected, Files.readAllBytes(Path.of(out)));
        assertEquals("stopped", Jpm.status(jpm.awaitStatus("bin", "stopped").get(0)));
        assertEquals(0, jpm.cli("ping").exit(), "the daemon is fine");
    }

    @Test
    void pm2FileNamesSuffixesMergeNullAndParentFolders(Jpm jpm) {
        String ticker = Jpm.fixture("ticker.sh").toString();
        jpm.ok("start", ticker, "--name", "my_app");
        JsonObject env = jpm.awaitStatus("my_app", "online").get(0).getJsonObject("pm2_env");
        assertEquals(jpm.home.resolve("logs/my-app-out.log").toString(), env.getString("pm_out_log_path"));
        assertEquals(jpm.home.resolve("logs/my-app-error.log").toString(), env.getString("pm_err_log_path"));
        assertNull(env.getString("pm_log_path"));

        jpm.ok("start", ticker, "--name", "multi", "-i", "2");
        for (JsonObject p : jpm.awaitStatus("multi", "online")) {
            int id = p.getInteger("pm_id");
            assertEquals(
                    jpm.home.resolve("logs/multi-out-" + id + ".log").toString(),
                    p.getJsonObject("pm2_env").getString("pm_out_log_path"));
        }
        jpm.ok(
                "start",
                ticker,
                "--name",
                "merged",
                "-i",
                "2",
                "--merge-logs",
                "-o",
                "deep/er/m.log",
                "-e",
                "NULL",
                "-l");
        for (JsonObject p : jpm.awaitStatus("merged", "online")) {
            JsonObject e = p.getJsonObject("pm2_env");
            assertEquals(
                    jpm.scratch.resolve("deep/er/m.log").toString(),
                    e.getString("pm_out_log_path"),
                    "relative to the client's cwd");
            assertEquals("/dev/null", e.getString("pm_err_log_path"));
            assertEquals(jpm.home.resolve("logs/merged.log").toString(), e.getString("pm_log_path"));
        }
        String merged = jpm.awaitLog(jpm.scratch.resolve("deep/er/m.log").toString(), "tick 3");
        assertFalse(merged.contains("tock"), merged);
        String both = jpm.awaitLog(jpm.home.resolve("logs/merged.log").toString(), "tock 2");
        assertTrue(both.contains("tick 2"), both);
    }

    @Test
    void timestampsAndJsonLinesInPm2Shapes(Jpm jpm) {
        String ticker = Jpm.fixture("ticker.sh").toString();
        jpm.ok("start", ticker, "--name", "timed", "--time");
        String timed = jpm.awaitLog(outPath(jpm, "timed"), "tick 2");
        assertTrue(
                timed.lines().allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d: tick \\d+")), timed);

        jpm.ok("start", ticker, "--name", "dated", "--log-date-format", "YYYY-MM-DD HH:mm:ss.SSS Z");
        String dated = jpm.awaitLog(outPath(jpm, "dated"), "tick 2");
        assertTrue(
                dated.lines()
                        .allMatch(l -> l.matches(
                                "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} [+-]\\d\\d:\\d\\d: tick \\d+")),
                dated);

        jpm.ok("start", ticker, "--name", "js", "--log-type", "json");
        String json =
                jpm.awaitLog(jpm.named("js").get(0).getJsonObject("pm2_env").getString("pm_err_log_path"), "tock 2");
        JsonObject first = new JsonObject(json.lines().findFirst().orElseThrow());
        assertEquals("tock 1\n", first.getString("message"));
        assertEquals("err", first.getString("type"));
        assertEquals("js", first.getString("app_name"));
        assertEquals(jpm.named("js").get(0).getInteger("pm_id"), first.getInteger("process_id"));
        assertTrue(first.getString("timestamp").matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), first.encode());
    }

    @Test
    void badLogOptionsOnTheCommandLine(Jpm jpm) {
        Jpm.Result type = jpm.cli("start", Jpm.fixture("ticker.sh").toString(), "--name", "bad", "--log-type", "xml");
        assertEquals(0, type.exit(), "pm2 writes raw lines for any log_type but json: " + type);
        assertTrue(type.err().contains("option 'log_type' is 'xml', which is not \"json\""), type.err());
        jpm.ok("delete", "bad");
        Jpm.Result lines = jpm.cli("logs", "--lines", "many", "--nostream");
        assertEquals(1, lines.exit());
        assertTrue(lines.err().contains("--lines expects a number of lines, got 'many'"), lines.err());
        Jpm.Result nobody = jpm.cli("logs", "nosuch", "--nostream");
        assertEquals(1, nobody.exit());
        assertTrue(nobody.err().contains("no process matches 'nosuch'"), nobody.err());
    }

    @Test
    void flushTruncatesAndReloadLogsReopens(Jpm jpm) throws IOException {
        jpm.ok("start", Jpm.fixture("ticker.sh").toString(), "--name", "fl");
        String out = outPath(jpm, "fl");
        jpm.awaitLog(out, "tick 3");
        Jpm.Result flushed = jpm.ok("flush", "fl");
        assertTrue(flushed.out().contains("Flushing " + out), flushed.out());
        // the next lines start the file again: the first line is no longer "tick 1"
        String after = jpm.await("new lines after flush", () -> {
            String text = jpm.readLog(out);
            return text.contains("\n") && !text.startsWith("tick 1\n") ? text : null;
        });
        assertFalse(after.contains("tick 1\n"), after);

        Path moved = Path.of(out + ".moved");
        Files.move(Path.of(out), moved);
        jpm.ok("reloadLogs");
        jpm.await(
                "a new file after reloadLogs",
                () -> Files.isRegularFile(Path.of(out)) && jpm.readLog(out).contains("tick") ? true : null);
    }

    @Test
    void logsTailsInPm2FormatAndStreamsLiveLines(Jpm jpm) throws Exception {
        jpm.ok("start", Jpm.fixture("ticker.sh").toString(), "--name", "tl");
        jpm.awaitLog(outPath(jpm, "tl"), "tick 3");
        int id = jpm.named("tl").get(0).getInteger("pm_id");
        Jpm.Result tail = jpm.ok("logs", "tl", "--nostream", "--lines", "2");
        assertTrue(
                tail.out()
                        .startsWith(
                                "[TAILING] Tailing last 2 lines for [tl] process (change the value with --lines option)\n"),
                tail.out());
        assertTrue(tail.out().contains(outPath(jpm, "tl") + " last 2 lines:\n"), tail.out());
        // one label width for old and live lines: the widest label + 1 (pm2 pads old lines to 10)
        String label = id + "|tl  | ";
        assertTrue(tail.out().contains(label + "tick "), tail.out());
        assertTrue(tail.out().contains(label + "tock "), tail.out());
        Jpm.Result onlyErr = jpm.ok("logs", "tl", "--nostream", "--err", "--raw");
        assertFalse(onlyErr.out().contains("tick") || onlyErr.err().contains("tick"), onlyErr.toString());

        Path streamed = jpm.scratch.resolve("streamed.txt");
        ProcessBuilder builder = new ProcessBuilder(
                        Jpm.JAVA, "-cp", Jpm.JAR.toString(), "io.jpm.cli.Main", "logs", "tl", "--lines", "0")
                .directory(jpm.scratch.toFile())
                .redirectOutput(streamed.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("JPM_HOME", jpm.home.toString());
        builder.environment().putAll(jpm.env);
        Process logs = builder.start();
        try {
            String live = jpm.await("live lines from jpm logs", () -> {
                String text = jpm.readLog(streamed.toString());
                return text.contains(id + "|tl  | tick") && text.contains(id + "|tl  | tock") ? text : null;
            });
            assertFalse(live.contains("last 0 lines:"), live);
        } finally {
            logs.destroy();
            logs.waitFor();
        }
    }

    @Test
    void anExternalServiceGetsLiveLinesInBatches(Jpm jpm) throws IOException {
        jpm.ok("start", Jpm.fixture("ticker.sh").toString(), "--name", "ev");
        jpm.awaitStatus("ev", "online");
        for (int round = 0; round < 2; round++) {
            // a second listener after the first has gone: the count follows connections, not just frames
            try (RawBridge bridge = new RawBridge(jpm.home)) {
                bridge.write(new JsonObject()
                        .put("type", "register")
                        .put("address", "jpm.events.log")
                        .put("headers", new JsonObject().put("token", RawBridge.token(jpm.home, "token.readonly"))));
                boolean out = false;
                boolean err = false;
                Deadline deadline = Deadline.in(Duration.ofSeconds(30));
                while (!(out && err) && !deadline.passed()) {
                    JsonObject frame = bridge.read(deadline.remainingMillis());
                    if (frame == null || !"jpm.events.log".equals(frame.getString("address"))) {
                        continue;
                    }
                    JsonObject body = frame.getJsonObject("body");
                    assertTrue(body.containsKey("host"), body.encode());
                    for (Object o : body.getJsonArray("lines")) {
                        JsonObject line = (JsonObject) o;
                        if (line.getString("app").equals("ev")) {
                            assertTrue(line.getLong("time") > 0 && line.containsKey("pm_id"), line.encode());
                            out |= line.getString("stream").equals("out")
                                    && line.getString("line").matches("tick \\d+");
                            err |= line.getString("stream").equals("err")
                                    && line.getString("line").matches("tock \\d+");
                        }
                    }
                }
                assertTrue(out && err, "live out and err lines of ev");
            }
            String daemonLog = jpm.home.resolve("daemon.log").toString();
            int closed = round + 1;
            jpm.await(
                    "the aggregator to learn nobody listens any more",
                    () -> jpm.readLog(daemonLog).split("live log lines: 0 listener\\(s\\), none built", -1).length - 1
                                    >= closed
                            ? true
                            : null);
        }
    }

    @Test
    void theDaemonsOwnLog(Jpm jpm) {
        jpm.ok("ping");
        // many lines: the class's daemon may have logged much since its start
        Jpm.Result own = jpm.ok("logs", "jpm", "--nostream", "--lines", "5000");
        assertTrue(own.out().contains("daemon.log last 5000 lines:"), own.out());
        assertTrue(own.out().contains("jpm  | "), own.out());
        assertTrue(own.out().contains("ready"), own.out());
    }

    @Test
    void jsonLinesHaveTheSameFieldsOldAndLiveAndFormatTimestampHighlightWork(Jpm jpm) throws Exception {
        // --time: its lines carry the time they were written, which --format and --timestamp show
        jpm.ok("start", Jpm.fixture("ticker.sh").toString(), "--name", "jl", "--time");
        jpm.awaitLog(outPath(jpm, "jl"), "tick 2");
        int id = jpm.named("jl").get(0).getInteger("pm_id");
        for (String line : jpm.ok("logs", "jl", "--nostream", "--json", "--lines", "2")
                .out()
                .split("\n")) {
            JsonObject old = new JsonObject(line);
            assertEquals(Set.of("message", "timestamp", "type", "process_id", "app_name"), old.fieldNames(), line);
            assertEquals(id, old.getInteger("process_id"));
        }
        String formatted = jpm.ok("logs", "jl", "--nostream", "--format", "--out", "--lines", "1")
                .out();
        assertTrue(
                formatted.matches("timestamp=\\d{4}-\\d\\d-\\d\\d-\\d\\d:\\d\\d:\\d\\d[+-]\\d{4} app=jl id=" + id
                        + " type=out message=\\S+: tick \\d+\n"),
                formatted);
        String stamped = jpm.ok("logs", "jl", "--nostream", "--out", "--lines", "1", "--timestamp", "HH:mm")
                .out();
        assertTrue(stamped.matches("(?s).*\n\\d\\d:\\d\\d " + id + "\\|jl  \\| \\S+: tick \\d+\n.*"), stamped);
        // dayjs's rules, as pm2's: a '[' that opens no [text] is copied, 's' is still the seconds
        String odd = jpm.ok("logs", "jl", "--nostream", "--out", "--lines", "1", "--timestamp", "YYYY [oops")
                .out();
        assertTrue(odd.matches("(?s).*\n\\d{4} \\[oop\\d{1,2} " + id + "\\|jl  \\| \\S+: tick \\d+\n.*"), odd);
        // --highlight marks only on a terminal (pm2's chalk does the same): piped, the line is as it was
        assertTrue(jpm.ok("logs", "jl", "--nostream", "--out", "--lines", "1", "--highlight", "tick")
                .out()
                .contains(": tick "));

        Path streamed = jpm.scratch.resolve("streamed-json.txt");
        ProcessBuilder builder = new ProcessBuilder(
                        Jpm.JAVA, "-cp", Jpm.JAR.toString(), "io.jpm.cli.Main", "logs", "jl", "--json", "--lines", "0")
                .directory(jpm.scratch.toFile())
                .redirectOutput(streamed.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("JPM_HOME", jpm.home.toString());
        builder.environment().putAll(jpm.env);
        Process logs = builder.start();
        try {
            String live = jpm.await("live JSON lines", () -> {
                String text = jpm.readLog(streamed.toString());
                return text.contains("\n") ? text : null;
            });
            JsonObject first = new JsonObject(live.split("\n")[0]);
            assertEquals(Set.of("message", "timestamp", "type", "process_id", "app_name"), first.fieldNames(), live);
            assertTrue(first.getString("timestamp").endsWith("Z"), live);
        } finally {
            logs.destroy();
            logs.waitFor();
        }
    }

    private static String outPath(Jpm jpm, String name) {
        return jpm.await("process " + name, () -> jpm.named(name).isEmpty() ? null : jpm.named(name))
                .get(0)
                .getJsonObject("pm2_env")
                .getString("pm_out_log_path");
    }

    /** Waits until the file ends with {@code end} (read from its tail, the file may be large). */
    private static void awaitEnd(String path, String end) {
        byte[] expected = end.getBytes(StandardCharsets.UTF_8);
        Jpm.await(path + " to end with " + end.trim(), FLOOD_DEADLINE, () -> {
            try (RandomAccessFile file = new RandomAccessFile(path, "r")) {
                if (file.length() < expected.length) {
                    return null;
                }
                byte[] last = new byte[expected.length];
                file.seek(file.length() - expected.length);
                file.readFully(last);
                return Arrays.equals(last, expected) ? true : null;
            } catch (IOException e) {
                return null;
            }
        });
    }

    /** The files, read in order, hold exactly the lines 1..n. */
    private static void assertNumbers(List<Path> files, int n) throws IOException {
        List<InputStream> streams = new ArrayList<>();
        for (Path file : files) {
            InputStream in = Files.newInputStream(file);
            streams.add(file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in);
        }
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(
                        new SequenceInputStream(Collections.enumeration(streams)), StandardCharsets.UTF_8),
                1 << 16)) {
            int expected = 1;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.equals(Integer.toString(expected))) {
                    fail("line " + expected + " of " + files + " is '" + line + "'");
                }
                expected++;
            }
            assertEquals(n + 1, expected, "lines in " + files);
        }
    }
}
