package io.jpm.keeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keeper's script on its own (jpm-keeper.pl), with a shell script as its daemon: its line
 * protocol (the inventory a daemon reads, {@code ready}, {@code hold}, {@code bye}), crash counting
 * and giving up, the rest until a jpm command asks again (SIGUSR1) or its slow pace tries again, the descriptors it holds handed to
 * every next daemon, and the processes that fell to it reaped and told to the next daemon.
 */
class KeeperCrashTest {
    /**
     * Each run appends its inventory (and which held descriptors are open in it) to runs.txt. The first
     * run has the keeper hold a pipe; the next ones answer and die at once (a crash loop) until
     * $DIR/stay exists: that run stays until the test lets it say bye.
     */
    private static final String CRASHING_DAEMON =
            """
            eval "exec 9>&$JPM_KEEPER_FD"
            run=$(( $(cat "$DIR/count" 2>/dev/null || echo 0) + 1 )); echo $run > "$DIR/count"
            while read -r line; do
              echo "$run $line" >> "$DIR/runs.txt"
              case "$line" in held*) fd=${line##* }; [ -e /proc/$$/fd/$fd ] && echo "$run open $fd" >> "$DIR/runs.txt";; esac
              [ "$line" = end-of-inventory ] && break
            done
            echo ready >&9
            if [ $run = 1 ]; then mkfifo "$DIR/fifo" && exec 7<>"$DIR/fifo"; echo "hold out:1:2 7" >&9; sleep 0.3; fi
            if [ -e "$DIR/stay" ]; then
              while [ ! -e "$DIR/bye" ]; do sleep 0.05; done
              echo bye >&9
            fi
            exit 3
            """;

    /**
     * The first run starts a child that outlives it by 0.5 s and exits 5, then is killed; the second
     * reads the keeper's lines (the child's exit comes in its inventory, or after it while it runs)
     * until it has that exit, then says bye.
     */
    private static final String ORPHANING_DAEMON =
            """
            eval "exec 9>&$JPM_KEEPER_FD"
            run=$(( $(cat "$DIR/count" 2>/dev/null || echo 0) + 1 )); echo $run > "$DIR/count"
            if [ $run = 1 ]; then
              while read -r line; do echo "1 $line" >> "$DIR/runs.txt"; [ "$line" = end-of-inventory ] && break; done
              echo ready >&9
              ( sleep 0.5; exit 5 ) & echo $! > "$DIR/child"
              kill -9 $$
            fi
            while read -r -t 10 line; do
              echo "$run $line" >> "$DIR/runs.txt"
              [ "$line" = end-of-inventory ] && echo ready >&9
              case "$line" in "exit $(cat "$DIR/child") "*) break;; esac
            done
            echo bye >&9
            exit 0
            """;

    @TempDir
    Path dir;

    private Path keeper;
    private Path out;
    /** The keeper under test: ended after each test, whatever it asserted (a failed one left it running). */
    private Process process;

    @AfterEach
    void endTheKeeper() {
        if (process != null) {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @BeforeEach
    void script() throws IOException {
        Assumptions.assumeTrue(KeeperScript.onPath("perl").isPresent(), "perl is needed");
        keeper = dir.resolve("keeper.pl");
        Files.writeString(keeper, KeeperScript.script());
        out = dir.resolve("keeper.out");
    }

    @Test
    void aCrashLoopEndsInARestWithTheDescriptorsHeldUntilACommandAsksAgain() throws Exception {
        Process process = start(CRASHING_DAEMON);
        // the first run and five quick restarts (pauses of 0 s here), then the keeper gives up
        awaitLine(out, l -> l.contains("trying again every 30 s, or when a jpm command asks"));
        String gaveUp = Files.readString(dir.resolve("keeper-gave-up")).trim();
        assertTrue(gaveUp.matches("6 \\d+ exit code 3"), gaveUp);
        assertEquals("6", Files.readString(dir.resolve("count")).trim());
        assertTrue(process.isAlive(), "a keeper that gave up still holds what it held: " + read(out));

        Files.writeString(dir.resolve("stay"), "");
        assertEquals(0, process.toHandle().children().count(), "no daemon runs while it rests");
        new ProcessBuilder("kill", "-USR1", Long.toString(process.pid()))
                .start()
                .waitFor();
        awaitLine(dir.resolve("runs.txt"), l -> l.startsWith("7 end-of-inventory"));
        Files.writeString(dir.resolve("bye"), "");
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), () -> read(out));
        assertEquals(0, process.exitValue(), () -> read(out));

        List<String> runs = Files.readAllLines(dir.resolve("runs.txt"));
        for (int run = 2; run <= 7; run++) {
            String prefix = run + " held out:1:2 ";
            String held = runs.stream()
                    .filter(l -> l.startsWith(prefix))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(runs));
            assertTrue(
                    runs.contains(run + " open " + held.substring(prefix.length())),
                    "run " + run + " has the pipe open: " + runs);
        }
        assertTrue(runs.contains("1 keeper " + process.pid() + " subreaper"), runs.toString());
        assertTrue(read(out).contains("a jpm command asked for a daemon: starting it again"), read(out));
    }

    /**
     * A resting keeper never leaves the apps without a daemon for good: it tries again at its slow
     * pace with no command (a cause fixed meanwhile brings the daemon back), and a try that dies at
     * once rests again rather than starting a new quick loop.
     */
    @Test
    void aRestingKeeperTriesAgainByItselfAtItsSlowPace() throws Exception {
        Process process = start(CRASHING_DAEMON, Map.of("JPM_KEEPER_REST_S", "1"));
        awaitLine(out, l -> l.contains("trying again every 1 s, or when a jpm command asks"));
        // the seventh run is the rest's first try: it dies at once too, and the keeper rests again
        awaitLine(dir.resolve("runs.txt"), l -> l.startsWith("7 end-of-inventory"));
        awaitLine(out, l -> l.contains("7 times in a row within 30 s of its start: trying again every 1 s"));
        Files.writeString(dir.resolve("stay"), ""); // the cause fixed
        awaitLine(dir.resolve("runs.txt"), l -> l.startsWith("8 end-of-inventory"));
        Files.writeString(dir.resolve("bye"), "");
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), () -> read(out));
        assertEquals(0, process.exitValue(), () -> read(out));
        assertTrue(read(out).contains("trying the daemon again after 1 s"), read(out));
        assertFalse(read(out).contains("a jpm command asked"), "no command asked: " + read(out));
    }

    @Test
    void aDeadDaemonsChildFallsToTheKeeperWhichTellsTheNextDaemonHowItEnded() throws Exception {
        Process process = start(ORPHANING_DAEMON);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), () -> read(out));
        assertEquals(0, process.exitValue(), () -> read(out));
        String child = Files.readString(dir.resolve("child")).trim();
        List<String> runs = Files.readAllLines(dir.resolve("runs.txt"));
        // exit <pid> <start ticks> <code> <signal> <ms>
        String exit = runs.stream()
                .filter(l -> l.startsWith("2 exit " + child + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(runs));
        String[] words = exit.split(" ");
        assertTrue(Long.parseLong(words[3]) > 0, "its start time, read before it was reaped: " + exit);
        assertEquals("5", words[4], exit);
        assertEquals("0", words[5], exit);
        assertTrue(read(out).contains("ended (signal 9); starting it again"), read(out));
    }

    private Process start(String daemon) throws IOException {
        return start(daemon, Map.of());
    }

    private Process start(String daemon, Map<String, String> environment) throws IOException {
        Files.writeString(dir.resolve("daemon.sh"), daemon);
        ProcessBuilder builder = new ProcessBuilder(
                        "perl",
                        keeper.toString(),
                        "/bin/bash",
                        dir.resolve("daemon.sh").toString())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().put("JPM_HOME", dir.toString());
        builder.environment().put("DIR", dir.toString());
        builder.environment().put("JPM_KEEPER_PAUSES_S", "0 0 0 0");
        builder.environment().putAll(environment);
        process = builder.start();
        return process;
    }

    private static void awaitLine(Path file, Predicate<String> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!read(file).lines().anyMatch(wanted)) {
            assertTrue(System.nanoTime() < deadline, () -> file + ": " + read(file));
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
