package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Under {@code umask 000} the apps' log and pid files and the preloads' {@code lib/} were made 0666
 * and 0777 (what Java and Vert.x create with, less the umask) in an otherwise owner-only JPM_HOME:
 * anyone on the machine could rewrite a preload every Node app runs. Now every file jpm makes in the
 * home is 0600 and every folder 0700 whatever the umask, and a log at a path the user chose is
 * writable by its owner only.
 */
class UmaskZeroModesIT {
    /** Every command, and so the daemon and keeper it starts, under umask 000. */
    private static final List<String> UMASK_000 = List.of("sh", "-c", "umask 000; exec \"$0\" \"$@\"");

    private static final Set<PosixFilePermission> OTHERS_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private static Set<PosixFilePermission> mode(Path path) {
        try {
            return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aHomeStartedUnderUmask000HasNothingOthersCanWrite() throws IOException {
        Path root = Files.createTempDirectory("jpm-it-umask-");
        Path outside = Files.createDirectories(root.resolve("own-logs"));
        try (Jpm jpm = new Jpm(root.resolve("home"), UMASK_000)) {
            Path node = Files.writeString(
                    root.resolve("node-app.js"),
                    "console.log('out'); console.error('err');\nsetInterval(() => {}, 1000);\n");
            jpm.ok("start", node.toString(), "--name", "node-app");
            jpm.ok(
                    "start",
                    Jpm.fixture("idle.sh").toString(),
                    "--name",
                    "own-log",
                    "--output",
                    outside.resolve("own-log.out").toString());
            jpm.awaitStatus("node-app", "online");
            jpm.awaitStatus("own-log", "online");
            Jpm.await(
                    "the node app's logs and pid file",
                    () -> Files.exists(jpm.home.resolve("logs/node-app-error.log"))
                                    && Files.exists(jpm.home.resolve("logs/node-app-out.log"))
                                    && Files.exists(jpm.home.resolve("pids/node-app-0.pid"))
                                    && Files.exists(outside.resolve("own-log.out"))
                            ? true
                            : null);
            assertTrue(Files.isDirectory(jpm.home.resolve("lib")), "the preloads' folder");

            List<String> open = new ArrayList<>();
            try (Stream<Path> all = Files.walk(jpm.home)) {
                all.filter(p -> !Files.isSymbolicLink(p)).forEach(p -> {
                    Set<PosixFilePermission> mode = mode(p);
                    String wanted = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------";
                    if (!PosixFilePermissions.toString(mode).equals(wanted)) {
                        open.add(PosixFilePermissions.toString(mode) + " " + p);
                    }
                });
            }
            assertEquals(List.of(), open, "every file of the home 0600, every folder 0700");
            Set<PosixFilePermission> own = mode(outside.resolve("own-log.out"));
            assertTrue(own.stream().noneMatch(OTHERS_WRITE::contains), PosixFilePermissions.toString(own));
        }
    }
}
