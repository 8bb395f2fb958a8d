package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A JPM_HOME of any length gets its Unix socket, so the local CLI never needs TCP (a home
 * too deep for sun_path had no jpm.sock, and its CLI failed 3 of 3 jpm ls under one churning
 * client); a link planted at the recorded socket folder is left alone; and every socket jpm makes is
 * owner-only whatever the umask (the daemon started under umask 000).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SocketFolderIT {
    /** Every command, and so the daemon and keeper it starts, under umask 000. */
    private static final List<String> UMASK_000 = List.of("sh", "-c", "umask 000; exec \"$0\" \"$@\"");

    private static Path deepHome() throws IOException {
        Path base = Files.createTempDirectory("jpm-it-deep-");
        String padding = "d".repeat(200 - base.toString().length() - "/home".length() - 1);
        Path home = base.resolve(padding).resolve("home");
        assertEquals(200, home.toString().length(), home.toString());
        Files.createDirectories(home.getParent());
        return home;
    }

    private static JsonObject daemonJson(Jpm jpm) throws IOException {
        return new JsonObject(Files.readString(jpm.home.resolve("daemon.json")));
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static boolean isSocket(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .isOther();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * jpm ls that can only have gone over jpm.sock: daemon.json's TCP port is pointed at one where nothing
     * listens for the command (and put back after), so a CLI that took TCP would fail.
     */
    private static Jpm.Result lsOverTheSocket(Jpm jpm) throws IOException {
        Path file = jpm.home.resolve("daemon.json");
        String real = Files.readString(file);
        Files.writeString(
                file, new JsonObject(real).put("bridgePort", Ports.free()).encode());
        try {
            return jpm.ok("ls");
        } finally {
            Files.writeString(file, real);
        }
    }

    @Test
    void aHomeOf200CharactersGetsAnOwnerOnlySocketTheCliUsesReusedAfterACrashRemovedAtAStop() throws Exception {
        try (Jpm jpm = new Jpm(deepHome(), UMASK_000)) {
            jpm.ok("start", Jpm.fixture("ticker.sh").toString(), "--name", "tick");
            int app = jpm.pidOf("tick");
            Path socket = Path.of(daemonJson(jpm).getString("socket"));
            Path folder = socket.getParent();
            assertTrue(folder.getFileName().toString().matches("jpm-[0-9a-f]{12}"), socket.toString());
            assertEquals(
                    folder.toString(),
                    Files.readString(jpm.home.resolve("sockets")).trim());
            assertEquals("rwx------", mode(folder));
            assertEquals("rw-------", mode(socket));
            assertFalse(Files.exists(folder.resolve("bridge.sock")), "the door needs no inner socket");
            assertTrue(lsOverTheSocket(jpm).out().contains("tick"));

            // killed without its clean stop: the keeper's next daemon takes the same folder again
            long first = jpm.daemonPid();
            ProcessHandle.of(first).orElseThrow().destroyForcibly();
            Jpm.await("the keeper's next daemon", () -> {
                try {
                    long pid = daemonJson(jpm).getLong("pid");
                    return pid != first ? pid : null;
                } catch (IOException | RuntimeException e) {
                    return null;
                }
            });
            assertEquals(socket.toString(), daemonJson(jpm).getString("socket"));
            Jpm.Result ls = lsOverTheSocket(jpm);
            assertTrue(ls.out().contains(Integer.toString(app)), "the app was not adopted: " + ls);

            jpm.ok("kill");
            assertFalse(Files.exists(folder, LinkOption.NOFOLLOW_LINKS), "the socket folder was left");
            assertFalse(Files.exists(jpm.home.resolve("sockets")), "its record was left");
        }
    }

    @Test
    void aLinkPlantedAtTheRecordedFolderIsLeftAloneAndAnotherMade() throws Exception {
        Path home = deepHome();
        Files.createDirectory(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        // what another user could do with a name seen in /proc/net/unix once that folder was gone
        Path target = Files.createTempDirectory("jpm-it-planted-target-");
        Path link = Path.of(System.getProperty("java.io.tmpdir"))
                .toRealPath()
                .resolve("jpm-" + HexFormat.of().formatHex(SecureRandom.getSeed(6)));
        Files.createSymbolicLink(link, target);
        Files.writeString(home.resolve("sockets"), link + "\n");
        Files.setPosixFilePermissions(home.resolve("sockets"), PosixFilePermissions.fromString("rw-------"));
        try (Jpm jpm = new Jpm(home, List.of())) {
            jpm.ok("ls");
            Path socket = Path.of(daemonJson(jpm).getString("socket"));
            assertNotEquals(link, socket.getParent());
            assertTrue(Files.isSymbolicLink(link), "the planted link was removed");
            try (Stream<Path> inTarget = Files.list(target)) {
                assertEquals(0, inTarget.count(), "the daemon wrote where the link points");
            }
            assertTrue(
                    Files.readString(home.resolve("daemon.log"))
                            .contains("is not a folder (a link or a file is at its name): a new folder is made"),
                    "daemon.log does not say why the recorded folder was not used");
            assertTrue(lsOverTheSocket(jpm).exit() == 0);
        } finally {
            Files.deleteIfExists(link);
        }
    }

    @Test
    void underUmask000EverySocketTheDaemonMakesIsOwnerOnly() throws Exception {
        Path home = Files.createTempDirectory("jpm-it-umask-").resolve("home");
        try (Jpm jpm = new Jpm(home, UMASK_000)) {
            // a Node app: its notify socket and the daemon's IPC socket (jpm-ipc.js) exist while it runs
            jpm.ok("start", Jpm.fixture("ready.js").toString(), "--name", "node-app");
            jpm.pidOf("node-app");
            Path run = home.resolve("run");
            assertEquals("rwx------", mode(home));
            assertEquals("rwx------", mode(run));
            List<Path> sockets;
            try (Stream<Path> inHome = Files.walk(home)) {
                sockets = inHome.filter(SocketFolderIT::isSocket).toList();
            }
            List<String> names = sockets.stream()
                    .map(p -> home.relativize(p).toString())
                    .sorted()
                    .toList();
            assertTrue(names.containsAll(List.of("jpm.sock", "run/ipc.sock")), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.matches("run/\\d+-\\d+\\.sock")), "no notify socket: " + names);
            for (Path socket : sockets) {
                assertEquals("rw-------", mode(socket), socket + " under umask 000");
            }
        }
    }
}
