package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A daemon killed at any instant loses no line and doubles none (docs/ARCHITECTURE.md, "The
 * keeper": the output journal): an app writing a numbered line every millisecond, raw and with
 * timestamps, through three SIGKILLs of the daemon; afterwards every number is in its log once, in
 * order, whole. Before the journal, the bytes the daemon had read and not yet written were lost at
 * each kill (a gap of a line or two, most kills).
 */
@WithoutTuning
class NoLineLostIT {
    private static final Duration BACK_WITHIN = Duration.ofSeconds(30);
    private static final int KILLS = 3;

    /**
     * What is wrong with the numbers in {@code file}, null when nothing: 1, 2, 3, ... each once, in
     * order, whole, across the files it rotated to; a line's number is its last word (after a
     * timestamp, if any).
     */
    static String wrongNumbers(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        // rotated at max_size: file.log.N (the oldest) ... file.log.1, then file.log
        for (int n = 9; n >= 1; n--) {
            Path rotated = Path.of(file + "." + n);
            if (Files.exists(rotated)) {
                lines.addAll(Files.readAllLines(rotated));
            }
        }
        lines.addAll(Files.readAllLines(file));
        long previous = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            long n;
            try {
                n = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            } catch (NumberFormatException e) {
                return "line " + (i + 1) + " is not a whole number: '" + line + "'";
            }
            if (n != previous + 1) {
                return "line " + (i + 1) + " is " + n + " after " + previous
                        + (n <= previous ? ": doubled or out of order" : ": lines lost");
            }
            previous = n;
        }
        return lines.size() < 1000 ? "only " + lines.size() + " lines" : null;
    }

    private static long lines(Path file) {
        try {
            return Files.readAllLines(file).size();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Kills the daemon and waits until the keeper's next one answers; its pid. */
    private static int killAndAwaitNext(Jpm jpm, int daemon) throws Exception {
        new ProcessBuilder("kill", "-KILL", Integer.toString(daemon)).start().waitFor();
        Jpm.awaitGone(daemon);
        return Jpm.await("a new daemon after " + daemon, BACK_WITHIN, () -> {
            try {
                int pid = jpm.daemonPid();
                return pid != daemon ? pid : null;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        });
    }

    /**
     * The start of a line the daemon holds, waiting for its end (for up to half a second), is read
     * from the pipe and not written: a kill then lost it. The journal has it: the line is whole.
     */
    @Test
    void theStartOfALineHeldAtTheKillIsWrittenWithItsEnd() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Path marker = jpm.scratch.resolve("partial");
            jpm.ok("start", Jpm.fixture("partial_line.sh").toString(), "--name", "partial", "--", marker.toString());
            JsonObject run = jpm.awaitStatus("partial", "online").get(0);
            Path out = Path.of(run.getJsonObject("pm2_env").getString("pm_out_log_path"));
            Path started = Path.of(marker + ".started");
            int daemon = jpm.daemonPid();
            Files.writeString(Path.of(marker + ".begin"), "");
            // the kill must land within the half second the daemon holds the start: polled here
            // without a command in between
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.exists(started) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            killAndAwaitNext(jpm, daemon);
            assertEquals(
                    run.getInteger("pid"),
                    jpm.awaitStatus("partial", "online").get(0).getInteger("pid"));
            Files.writeString(Path.of(marker + ".go"), "");
            Jpm.await(
                    "the end of the line in the log",
                    () -> jpm.readLog(out.toString()).contains("rest-of-line") ? true : null);
            assertEquals("start-of-line rest-of-line\n", jpm.readLog(out.toString()));
        }
    }

    @Test
    void threeKillsOfTheDaemonLoseAndDoubleNoLine() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("start", Jpm.fixture("number_bursts.sh").toString(), "--name", "raw");
            jpm.ok("start", Jpm.fixture("number_bursts.sh").toString(), "--name", "stamped", "--time");
            JsonObject raw = jpm.awaitStatus("raw", "online").get(0);
            JsonObject stamped = jpm.awaitStatus("stamped", "online").get(0);
            List<Path> logs = List.of(
                    Path.of(raw.getJsonObject("pm2_env").getString("pm_out_log_path")),
                    Path.of(stamped.getJsonObject("pm2_env").getString("pm_out_log_path")));
            int daemon = jpm.daemonPid();
            for (int kill = 0; kill < KILLS; kill++) {
                long[] before = logs.stream().mapToLong(NoLineLostIT::lines).toArray();
                // lines keep coming before each kill: the pipes are busy when it lands
                Jpm.await("more lines before kill " + (kill + 1), () -> {
                    for (int i = 0; i < logs.size(); i++) {
                        if (lines(logs.get(i)) < before[i] + 1000) {
                            return null;
                        }
                    }
                    return true;
                });
                daemon = killAndAwaitNext(jpm, daemon);
                for (JsonObject was : List.of(raw, stamped)) {
                    JsonObject now =
                            jpm.awaitStatus(was.getString("name"), "online").get(0);
                    assertEquals(was.getInteger("pid"), now.getInteger("pid"), "adopted: " + now.encode());
                }
            }
            jpm.ok("stop", "all");
            jpm.awaitStatus("raw", "stopped");
            jpm.awaitStatus("stamped", "stopped");
            for (Path log : logs) {
                assertEquals(null, wrongNumbers(log), log.toString());
            }
        }
    }
}
