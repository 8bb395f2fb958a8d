package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** pm2's send and attach: lines to a running app's stdin, and its output live, through the real CLI. */
@ExtendWith(JpmExtension.class)
@WithoutTuning
class StdinIT {

    @Test
    void sendWritesALineToTheAppsStdinAndIsRefusedForUnknownOrStoppedIds(Jpm jpm) {
        jpm.ok("start", Jpm.fixture("echo_stdin.sh").toString(), "--name", "reader");
        JsonObject p = jpm.awaitStatus("reader", "online").get(0);
        String log = p.getJsonObject("pm2_env").getString("pm_out_log_path");
        jpm.awaitLog(log, "reading stdin");

        Jpm.Result sent = jpm.ok("send", "0", "hello", "world");
        assertTrue(sent.out().contains("reader"), "the table follows, as pm2's: " + sent);
        jpm.ok("send", "0", "second line");
        jpm.awaitLog(log, "got: second line");
        assertTrue(jpm.readLog(log).contains("got: hello world\ngot: second line"), "in order: " + jpm.readLog(log));

        Jpm.Result unknown = jpm.cli("send", "7", "x");
        assertEquals(1, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("Process with ID <7> unknown."), unknown.toString());
        Jpm.Result byName = jpm.cli("send", "reader", "x");
        assertEquals(1, byName.exit(), byName.toString());
        assertTrue(byName.err().contains("pm_id must be a process number"), byName.toString());
        Jpm.Result noLine = jpm.cli("send", "0");
        assertEquals(1, noLine.exit(), noLine.toString());

        jpm.ok("stop", "reader");
        Jpm.Result offline = jpm.cli("send", "0", "x");
        assertEquals(1, offline.exit(), offline.toString());
        assertTrue(offline.err().contains("Process with ID <0> offline."), offline.toString());
        assertTrue(!jpm.readLog(log).contains("got: x"), "nothing was written");
    }

    @Test
    void attachShowsTheOutputAndSendsWhatIsTyped(Jpm jpm) throws Exception {
        jpm.ok("start", Jpm.fixture("echo_stdin.sh").toString(), "--name", "talk");
        String log = jpm.awaitStatus("talk", "online")
                .get(0)
                .getJsonObject("pm2_env")
                .getString("pm_out_log_path");
        jpm.awaitLog(log, "reading stdin");

        ProcessBuilder builder = new ProcessBuilder(
                        List.of(Jpm.JAVA, "-cp", Jpm.JAR.toString(), "io.jpm.cli.Main", "attach", "0"))
                .directory(jpm.scratch.toFile())
                .redirectErrorStream(true);
        builder.environment().put("JPM_HOME", jpm.home.toString());
        Process cli = builder.start();
        try (OutputStream typing = cli.getOutputStream();
                BufferedReader shown =
                        new BufferedReader(new InputStreamReader(cli.getInputStream(), StandardCharsets.UTF_8))) {
            // typed until its echo comes back: the first lines may be typed, and echoed, before attach
            // listens (the daemon builds live lines only once it learns of the listener), so a line is
            // read with a deadline and typed again, never waited for in a blocking read
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> shown.lines().forEach(lines::add), "attach-output");
            reader.setDaemon(true);
            reader.start();
            String line = null;
            for (int round = 0; round < 100 && line == null; round++) {
                typing.write(("ping " + round + "\n").getBytes(StandardCharsets.UTF_8));
                typing.flush();
                for (String next = lines.poll(300, TimeUnit.MILLISECONDS);
                        next != null && line == null;
                        next = lines.poll(10, TimeUnit.MILLISECONDS)) {
                    if (next.startsWith("got: ping")) {
                        line = next;
                    }
                }
            }
            assertTrue(
                    line != null && line.matches("got: ping \\d+"),
                    "the typed line came back through the app: " + line);
            typing.close(); // end of input detaches
            assertTrue(cli.waitFor(30, TimeUnit.SECONDS), "attach ends with its input");
            assertEquals(0, cli.exitValue());
        } finally {
            cli.destroyForcibly();
        }
        assertEquals("online", Jpm.status(jpm.named("talk").get(0)), "the app runs on");

        Jpm.Result stopped = jpm.cli("attach", "9");
        assertEquals(1, stopped.exit(), stopped.toString());
        assertTrue(stopped.err().contains("Process with ID <9> unknown."), stopped.toString());
    }

    @Test
    void aReadOnlyTokenCannotWriteToAnAppNorABadFrame(Jpm jpm) throws Exception {
        jpm.ok("start", Jpm.fixture("echo_stdin.sh").toString(), "--name", "guarded");
        jpm.awaitStatus("guarded", "online");
        String log = jpm.named("guarded").get(0).getJsonObject("pm2_env").getString("pm_out_log_path");
        jpm.awaitLog(log, "reading stdin");
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            JsonObject reply = bridge.request(
                    "jpm.cmd.stdin",
                    new JsonObject().put("pm_id", 0).put("line", "sneaky\n"),
                    RawBridge.token(jpm.home, "token.readonly"));
            assertEquals(16, reply.getInteger("failureCode"), reply.encode());
            assertTrue(reply.getString("message").contains("read-only token"), reply.encode());
            JsonObject bad = bridge.request(
                    "jpm.cmd.stdin",
                    new JsonObject().put("pm_id", "guarded").put("line", "x\n"),
                    RawBridge.token(jpm.home, "token"));
            assertEquals(10, bad.getInteger("failureCode"), bad.encode());
        }
        jpm.ok("send", "0", "after");
        jpm.awaitLog(log, "got: after");
        assertTrue(!jpm.readLog(log).contains("sneaky"), jpm.readLog(log));
    }
}
