package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code jpm save} on a full disk said "internal error"
 * (the dump was rightly kept). Now it says the disk is full and the previous dump is kept, with
 * code 18 (DISK_FULL), and exits 1. JPM_HOME is a 4 MiB tmpfs (mounted as root), filled by hand.
 */
class SaveOnFullDiskIT {
    private static void sh(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", command).inheritIO().start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), command);
        assertEquals(0, process.exitValue(), command);
    }

    /** Writes zeros into {@code file} until the disk refuses. */
    private static void fill(Path file) {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertTrue(String.valueOf(full.getMessage()).contains("No space left on device"), full.toString());
        }
    }

    @Test
    void saveOnAFullDiskSaysTheDiskIsFullAndThePreviousDumpIsKept() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Jpm jpm = new Jpm();
        Files.createDirectories(jpm.home);
        sh("mount -t tmpfs -o size=4m,mode=0700 jpm-full-disk '" + jpm.home + "'");
        try {
            try (jpm) {
                jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "first");
                jpm.ok("save");
                Path dump = jpm.home.resolve("dump.json");
                String saved = Files.readString(dump);
                jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "second");
                jpm.pidOf("second");

                fill(jpm.home.resolve("filler"));
                Jpm.Result save = jpm.cli("save");

                assertEquals(1, save.exit(), save.toString());
                assertEquals(
                        "jpm: cannot write " + dump
                                + ": the disk is full (No space left on device); the previous dump.json is kept",
                        save.err().strip(),
                        save.toString());
                assertEquals(saved, Files.readString(dump), "the previous dump, unchanged");
                assertEquals(
                        List.of("first"),
                        new JsonObject(saved)
                                .getJsonArray("apps").stream()
                                        .map(a -> ((JsonObject) a).getString("name"))
                                        .toList());
                try (var files = Files.list(jpm.home)) {
                    assertEquals(
                            List.of(),
                            files.map(f -> f.getFileName().toString())
                                    .filter(f -> f.endsWith(".tmp"))
                                    .toList(),
                            "no temp file left on the full disk");
                }
                Files.delete(jpm.home.resolve("filler"));
                jpm.ok("save");
                assertTrue(Files.readString(dump).contains("\"second\""), "saved once there is room");
            }
        } finally {
            // lazily: a process started by the CLI (the daemon's class archive recorded in the background)
            // may still have daemon.log open
            sh("umount -l '" + jpm.home + "'");
        }
    }
}
