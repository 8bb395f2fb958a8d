package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** pm2's autostart, namespace, treekill, pid_file and uid with real processes. */
@ExtendWith(JpmExtension.class)
class EcosystemOptionsIT {
    private static final String IDLE = Jpm.fixture("idle.sh").toString();
    private static final String TREE = Jpm.fixture("tree.sh").toString();

    private static Path ecosystem(Jpm jpm, String name, String apps) throws IOException {
        Path file = jpm.write(name, "{\"apps\":[" + apps + "]}");
        return file;
    }

    private static String app(String name, String script, String options) {
        return "{\"name\":\"" + name + "\",\"script\":\"" + script + "\"" + options + "}";
    }

    @Test
    void autostartFalseRegistersTheAppStoppedUntilStartedByName(Jpm jpm) throws IOException {
        Path file =
                ecosystem(jpm, "lazy.json", app("lazy", IDLE, ",\"autostart\":false") + "," + app("eager", IDLE, ""));
        jpm.ok("start", file.toString());
        jpm.awaitStatus("eager", "online");
        JsonObject lazy = jpm.named("lazy").get(0);
        assertEquals("stopped", Jpm.status(lazy));
        assertEquals(0, lazy.getInteger("pid"));
        assertEquals(false, lazy.getJsonObject("pm2_env").getBoolean("autostart"));
        assertTrue(Files.notExists(jpm.scratch.resolve("starts-lazy")), "the app never ran");

        jpm.ok("start", "lazy");
        int pid = jpm.awaitStatus("lazy", "online").get(0).getInteger("pid");
        assertTrue(Jpm.alive(pid));
        jpm.ok("delete", "lazy", "eager");
    }

    @Test
    void hotReloadAddsAnAutostartFalseAppStopped(Jpm jpm) throws IOException {
        Path file = ecosystem(jpm, "grow.json", app("first", IDLE, ""));
        jpm.ok("start", file.toString());
        int first = jpm.awaitStatus("first", "online").get(0).getInteger("pid");
        Path next = jpm.write(
                "grow.json.tmp",
                "{\"apps\":[" + app("first", IDLE, "") + "," + app("later", IDLE, ",\"autostart\":false") + "]}");
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        JsonObject later = Jpm.await(
                "the added app",
                () -> jpm.named("later").isEmpty() ? null : jpm.named("later").get(0));
        assertEquals("stopped", Jpm.status(later));
        assertEquals(first, jpm.named("first").get(0).getInteger("pid"), "an untouched app keeps running");
        jpm.ok("delete", "first", "later");
    }

    @Test
    void resurrectBringsAnAutostartFalseAppBackStopped() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("start", IDLE, "--name", "dormant", "--no-autostart");
            jpm.ok("start", IDLE, "--name", "awake");
            jpm.awaitStatus("awake", "online");
            jpm.ok("save");
            jpm.ok("kill");
            jpm.ok("resurrect");
            jpm.awaitStatus("awake", "online");
            assertEquals("stopped", Jpm.status(jpm.named("dormant").get(0)));
            assertTrue(Files.notExists(jpm.scratch.resolve("starts-dormant")), "the app never ran");
        }
    }

    @Test
    void theCliFlagDoesTheSame(Jpm jpm) {
        jpm.ok("start", IDLE, "--name", "flagged", "--no-autostart");
        assertEquals("stopped", Jpm.status(jpm.named("flagged").get(0)));
        jpm.ok("restart", "flagged");
        jpm.awaitStatus("flagged", "online");
        jpm.ok("delete", "flagged");
    }

    @Test
    void aNamespaceIsATarget(Jpm jpm) throws IOException {
        Path file = ecosystem(
                jpm,
                "ns.json",
                app("ns-a", IDLE, ",\"namespace\":\"grp\"") + ","
                        + app("ns-b", IDLE, ",\"namespace\":\"grp\",\"disable_logs\":true") + ","
                        + app("ns-other", IDLE, ""));
        jpm.ok("start", file.toString());
        int other = jpm.awaitStatus("ns-other", "online").get(0).getInteger("pid");
        jpm.awaitStatus("ns-a", "online");
        JsonObject b = jpm.awaitStatus("ns-b", "online").get(0);
        assertEquals("grp", b.getJsonObject("pm2_env").getString("namespace"));
        assertEquals("/dev/null", b.getJsonObject("pm2_env").getString("pm_out_log_path"));
        assertEquals(
                "default", jpm.named("ns-other").get(0).getJsonObject("pm2_env").getString("namespace"));

        jpm.awaitLog(jpm.named("ns-a").get(0).getJsonObject("pm2_env").getString("pm_out_log_path"), "idle");
        jpm.awaitLog(jpm.named("ns-other").get(0).getJsonObject("pm2_env").getString("pm_out_log_path"), "idle");
        String logs = jpm.ok("logs", "grp", "--nostream", "--lines", "5").out();
        assertTrue(logs.contains("|ns-a") && !logs.contains("ns-other"), logs);

        jpm.ok("stop", "grp");
        assertEquals("stopped", Jpm.status(jpm.named("ns-a").get(0)));
        assertEquals("stopped", Jpm.status(jpm.named("ns-b").get(0)));
        JsonObject untouched = jpm.named("ns-other").get(0);
        assertEquals("online", Jpm.status(untouched));
        assertEquals(other, untouched.getInteger("pid"));

        jpm.ok("start", "grp");
        jpm.awaitStatus("ns-a", "online");
        jpm.awaitStatus("ns-b", "online");
        jpm.ok("delete", "grp");
        assertTrue(jpm.named("ns-a").isEmpty() && jpm.named("ns-b").isEmpty());
        jpm.ok("delete", "ns-other");
    }

    @Test
    void treekillFalseSignalsTheMainProcessOnly(Jpm jpm) throws IOException {
        Path file = ecosystem(jpm, "tree.json", app("lone", TREE, ",\"treekill\":false"));
        jpm.ok("start", file.toString());
        int pid = jpm.awaitStatus("lone", "online").get(0).getInteger("pid");
        long grandchild = jpm.grandchildOf(pid);
        try {
            jpm.ok("stop", "lone");
            assertEquals("stopped", Jpm.status(jpm.named("lone").get(0)));
            Jpm.awaitGone(pid);
            assertTrue(Jpm.alive(grandchild), "what the app forked lives on, as with pm2's treekill false");
        } finally {
            ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
        }
        Jpm.awaitGone(grandchild);
        jpm.ok("delete", "lone");
    }

    @Test
    void pidFileGoesWhereTheAppSaysAndIsRemovedOnStop(Jpm jpm) throws IOException {
        Path cwd = Files.createDirectories(jpm.scratch.resolve("pidapp"));
        Path file = ecosystem(
                jpm, "pid.json", app("pidded", IDLE, ",\"cwd\":\"pidapp\",\"pid_file\":\"run/deep/pidded.pid\""));
        jpm.ok("start", file.toString());
        JsonObject p = jpm.awaitStatus("pidded", "online").get(0);
        Path pidFile = cwd.resolve("run/deep/pidded-" + p.getInteger("pm_id") + ".pid");
        assertEquals(pidFile.toString(), p.getJsonObject("pm2_env").getString("pm_pid_path"));
        assertEquals(Integer.toString(p.getInteger("pid")), Jpm.await("the pid file", () -> {
            try {
                return Files.isRegularFile(pidFile) ? Files.readString(pidFile).trim() : null;
            } catch (IOException e) {
                return null;
            }
        }));
        jpm.ok("stop", "pidded");
        Jpm.await("the pid file to go", () -> Files.exists(pidFile) ? null : true);
        jpm.ok("delete", "pidded");
    }

    @Test
    void uidRunsTheAppAsThatUser(Jpm jpm) throws IOException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        Path file = ecosystem(jpm, "uid.json", app("asnobody", IDLE, ",\"uid\":\"nobody\""));
        jpm.ok("start", file.toString());
        int pid = jpm.awaitStatus("asnobody", "online").get(0).getInteger("pid");
        String uid = Jpm.await("the app's uid", () -> procUid(pid));
        assertEquals(Integer.toString(userId("nobody")), uid);
        jpm.ok("delete", "asnobody");
    }

    @Test
    void anUnknownUserIsRefusedAndNothingStarts(Jpm jpm) throws IOException {
        Path file = ecosystem(jpm, "ghost.json", app("ghostly", IDLE, ",\"uid\":\"no-such-user-here\""));
        Jpm.Result result = jpm.cli("start", file.toString());
        assertTrue(result.exit() != 0, result.toString());
        assertTrue(result.err().contains("app 'ghostly': option 'uid' names no user"), result.toString());
        assertTrue(jpm.named("ghostly").isEmpty());
    }

    /** The real uid of a running process, once /proc shows it switched (setpriv execs the app). */
    private static String procUid(int pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
                if (line.startsWith("Uid:")) {
                    String real = line.split("\\s+")[1];
                    return real.equals("0") ? null : real;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static int userId(String user) throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
            String[] fields = line.split(":");
            if (fields[0].equals(user)) {
                return Integer.parseInt(fields[2]);
            }
        }
        throw new AssertionError("no user " + user);
    }
}
