package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hot reload applied an edit of an ecosystem file by whoever could write it, which gave
 * them the daemon's user's commands. An edit of a file another user owns, or others may write, is
 * now refused with a line saying why (sshd's StrictModes), and what runs is untouched. The tests
 * run as root: another user is nobody (uid 65534), made the owner with chown.
 */
@ExtendWith(JpmExtension.class)
class HotReloadOwnershipIT {
    private static final String APP = Jpm.fixture("envapp.sh").toString();

    private static String apps(String name, String var) {
        return "{\"apps\":[{\"name\":\"" + name + "\",\"script\":\"" + APP
                + "\",\"kill_timeout\":3000,\"env\":{\"VAR\":\"" + var + "\"}}]}\n";
    }

    /** Starts the file's app (the user's own `jpm start file`), then lets {@code loosen} hand the file to others, then edits it. */
    private static void editRefused(Jpm jpm, String name, Loosen loosen, String why) throws IOException {
        Path file = jpm.write(name + ".json", apps(name, "1"));
        jpm.ok("start", file.toString());
        int pid = jpm.awaitStatus(name, "online").get(0).getInteger("pid");
        loosen.apply(file);
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            Files.writeString(file, apps(name, "2"));
            JsonObject event = events.await(file, e -> !"watching".equals(e.getString("status")));
            assertEquals("refused", event.getString("status"), event.encode());
            assertTrue(event.getString("error").startsWith("hot reload refused: " + why), event.encode());
        }
        JsonObject app = jpm.awaitStatus(name, "online").get(0);
        assertEquals(pid, app.getInteger("pid"), "the running app is untouched");
        assertEquals(1, jpm.named(name).size());
        String log = Files.readString(jpm.home.resolve("daemon.log"));
        assertTrue(log.contains("refused an edit of " + file + ": hot reload refused: " + why), "daemon.log says why");
    }

    interface Loosen {
        void apply(Path file) throws IOException;
    }

    @Test
    void anEditOfAFileAnotherUserOwnsIsRefusedAndWhatRunsIsUntouched(Jpm jpm) throws IOException {
        editRefused(
                jpm,
                "owned-by-nobody",
                file -> Files.setAttribute(file, "unix:uid", 65534),
                jpm.scratch.resolve("owned-by-nobody.json")
                        + " is owned by uid 65534, not by the daemon's user (uid 0) or root");
    }

    @Test
    void anEditOfAFileOthersMayWriteIsRefusedAndWhatRunsIsUntouched(Jpm jpm) throws IOException {
        editRefused(
                jpm,
                "world-writable",
                file -> Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-")),
                jpm.scratch.resolve("world-writable.json") + " is writable by its group or others (mode 0666)");
    }

    @Test
    void anEditOfAFileInAFolderOthersMayWriteIsRefused(Jpm jpm) throws IOException {
        try {
            editRefused(
                    jpm,
                    "open-folder",
                    file -> Files.setPosixFilePermissions(
                            file.getParent(), PosixFilePermissions.fromString("rwxrwxrwx")),
                    "the folder " + jpm.scratch + " above " + jpm.scratch.resolve("open-folder.json")
                            + " is writable by its group or others (mode 0777)");
        } finally {
            Files.setPosixFilePermissions(jpm.scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
