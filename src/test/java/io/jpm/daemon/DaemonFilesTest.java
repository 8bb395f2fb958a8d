package io.jpm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jpm.protocol.JpmHome;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonFilesTest {
    @TempDir
    Path tmp;

    @Test
    void theReadyFileNamesTheDaemonWhoseJpmPidIsWritten() throws IOException {
        JpmHome home = new JpmHome(tmp);
        Files.writeString(home.pidFile(), "1\n");
        new DaemonFiles(home, tmp.resolve("pm2.pid")).writeReady(new JsonObject().put("pid", 4242L));
        assertEquals("4242", Files.readString(home.pidFile()).trim());
        assertEquals("4242", Files.readString(tmp.resolve("pm2.pid")).trim());
        assertEquals(4242L, new JsonObject(Files.readString(home.daemonJson())).getLong("pid"));
    }

    /**
     * daemon.json says "ready": whoever sees it reads jpm.pid next and must find this daemon there,
     * not the one before it. So jpm.pid comes first, and a daemon that cannot write it is not ready.
     */
    @Test
    void noReadyFileBeforeJpmPid() throws IOException {
        JpmHome home = new JpmHome(tmp);
        // a folder with a file in it where jpm.pid goes: its write fails
        Files.createDirectories(home.pidFile());
        Files.writeString(home.pidFile().resolve("in-the-way"), "");
        DaemonFiles files = new DaemonFiles(home, null);
        assertThrows(IOException.class, () -> files.writeReady(new JsonObject().put("pid", 4242L)));
        assertFalse(Files.exists(home.daemonJson()), "daemon.json written before jpm.pid");
    }
}
