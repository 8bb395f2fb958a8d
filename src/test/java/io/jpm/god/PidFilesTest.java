package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jpm.protocol.ProcessEvent;
import io.jpm.testkit.Eventually;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** pm2's pid files, written from process events on God's thread. */
@ExtendWith(VertxExtension.class)
class PidFilesTest {
    @TempDir
    Path home;

    private static ProcessEvent online(int pid) {
        return ProcessEvent.builder()
                .app("api")
                .pid(pid)
                .from("launching")
                .to("online")
                .reason("spawned")
                .host("test")
                .build();
    }

    /**
     * A reload right after a start: two writes of one file in a row. Each was a delete then a create
     * (O_EXCL); interleaved, the second create found the first's file and failed, leaving the old
     * pid (RollingReloadTest once found the file without the new one).
     */
    @Test
    void twoWritesInARowLeaveTheLastPid(Vertx vertx) throws IOException {
        PidFiles pidFiles = new PidFiles(vertx.fileSystem(), home);
        for (int round = 0; round < 20; round++) { // the interleaving is not certain in one round
            Path file = home.resolve("pids").resolve("api-" + round + ".pid");
            int first = 1000 + round;
            int last = 2000 + round;
            vertx.runOnContext(v -> {
                pidFiles.onEvent(online(first), file.toString());
                pidFiles.onEvent(online(last), file.toString());
            });
            Eventually.until(
                    () -> "the pid file to hold " + last + ": " + read(file),
                    Duration.ofSeconds(10),
                    () -> (last + "\n").equals(read(file)));
            assertFalse(Files.exists(Path.of(file + ".tmp")), "no temporary file left");
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(none)";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
