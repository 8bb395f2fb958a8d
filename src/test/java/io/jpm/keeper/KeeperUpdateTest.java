package io.jpm.keeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keeper's side of {@code jpm update} (jpm-keeper.pl's {@code upgrade} line), with two shell
 * scripts as the old and the new daemon: the keeper runs the new script in its own process (the
 * new daemon's parent is the same pid) and hands it the descriptors it held; a script perl cannot
 * run is not exec'd, and the old keeper starts the new daemon itself.
 */
class KeeperUpdateTest {
    /** Reads the inventory, has the keeper hold a pipe (a FIFO at its fd 7), then leaves for an update. */
    private static final String OLD_DAEMON =
            """
            while read -r line; do [ "$line" = end-of-inventory ] && break; done
            eval "exec 9>&$JPM_KEEPER_FD"
            mkfifo "$DIR/fifo" && exec 7<>"$DIR/fifo"
            echo ready >&9
            echo "hold out:1:2 7" >&9
            echo "upgrade $NEW_SCRIPT /bin/bash $DIR/new.sh" >&9
            sleep 0.5
            exit 0
            """;
    /** Says its inventory and whether each descriptor handed over is open here, then stops the keeper. */
    private static final String NEW_DAEMON =
            """
            while read -r line; do
              echo "new: $line"
              case "$line" in held*) fd=${line##* }; [ -e /proc/$$/fd/$fd ] && echo "new: open $fd";; esac
              [ "$line" = end-of-inventory ] && break
            done
            echo "new: parent $PPID"
            eval "exec 9>&$JPM_KEEPER_FD"
            echo ready >&9
            echo bye >&9
            exit 0
            """;

    @TempDir
    Path dir;

    private Path keeper;

    @BeforeEach
    void scripts() throws IOException {
        Assumptions.assumeTrue(KeeperScript.onPath("perl").isPresent(), "perl is needed");
        keeper = dir.resolve("keeper.pl");
        Files.writeString(keeper, KeeperScript.script());
        Files.writeString(dir.resolve("old.sh"), OLD_DAEMON);
        Files.writeString(dir.resolve("new.sh"), NEW_DAEMON);
    }

    private List<String> run(Path newScript) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        "perl",
                        keeper.toString(),
                        "/bin/bash",
                        dir.resolve("old.sh").toString())
                .redirectErrorStream(true);
        builder.environment().put("JPM_HOME", dir.toString());
        builder.environment().put("DIR", dir.toString());
        builder.environment().put("NEW_SCRIPT", newScript.toString());
        // to a file: the JDK closes the pipe of a process that ended, which a keeper that outlives it
        // and the new daemon would still write to
        Path out = dir.resolve("keeper.out");
        builder.redirectOutput(out.toFile());
        Process process = builder.start();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), () -> read(out));
        assertEquals(0, process.exitValue(), () -> read(out));
        // a keeper that outlives the process started here (one that forks) is waited for too
        Path pidFile = dir.resolve("keeper.pid");
        long keeperPid =
                Files.exists(pidFile) ? Long.parseLong(Files.readString(pidFile).trim()) : process.pid();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ProcessHandle.of(keeperPid).map(ProcessHandle::isAlive).orElse(false)) {
            assertTrue(System.nanoTime() < deadline, () -> "the keeper still runs: " + read(out));
            ProcessHandle.of(keeperPid).ifPresent(h -> h.onExit()
                    .completeOnTimeout(h, 100, TimeUnit.MILLISECONDS)
                    .join());
        }
        return read(out).lines().toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void theNewScriptRunsInTheKeepersProcessWithWhatItHeld() throws Exception {
        List<String> lines = run(keeper);
        String keeperLine = lines.stream()
                .filter(l -> l.startsWith("new: keeper "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(lines));
        String pid = keeperLine.split(" ")[2];
        assertTrue(lines.contains("new: parent " + pid), "the same process: " + lines);
        String held = lines.stream()
                .filter(l -> l.startsWith("new: held out:1:2 "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(lines));
        assertTrue(lines.contains("new: open " + held.split(" ")[3]), "still open after the exec: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("left for an update (exit code 0)")), lines.toString());
    }

    @Test
    void aScriptPerlCannotRunIsNotExecdAndTheKeeperGoesOn() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.pl"), "this is not perl {\n");
        List<String> lines = run(broken);
        assertTrue(
                lines.stream().anyMatch(l -> l.contains("cannot run the updated keeper " + broken)), lines.toString());
        String held = lines.stream()
                .filter(l -> l.startsWith("new: held out:1:2 "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(lines));
        assertTrue(lines.contains("new: open " + held.split(" ")[3]), "still held: " + lines);
    }
}
