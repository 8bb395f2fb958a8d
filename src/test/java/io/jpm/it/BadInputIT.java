package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input gets a one-line error naming the problem and a non-zero exit, and changes nothing: the
 * app started before each test keeps its pid, and the daemon keeps answering.
 */
@ExtendWith(JpmExtension.class)
class BadInputIT {
    private KeptApp keep;

    @BeforeEach
    void startOneApp(Jpm jpm) {
        keep = KeptApp.start(jpm);
    }

    /** The body of a stop of {@code target}, as the CLI sends it from /. */
    private static JsonObject stopOf(String target) {
        return new JsonObject().put("targets", new JsonArray().add(target)).put("cwd", "/");
    }

    private static void oneLineError(Jpm.Result result, String expected) {
        assertEquals(1, result.exit(), "pm2 exits 1 on every failure: " + result);
        assertTrue(result.err().startsWith("jpm: "), result.toString());
        assertEquals(1, result.err().strip().lines().count(), "one line: " + result);
        assertTrue(result.err().contains(expected), "expected '" + expected + "' in " + result);
    }

    @Test
    void aMissingScript(Jpm jpm) {
        oneLineError(jpm.cli("start", "no-such-app.py"), "script not found: ");
        keep.assertUnchanged(jpm);
    }

    @Test
    void anUnknownTarget(Jpm jpm) {
        oneLineError(jpm.cli("stop", "ghost"), "process or namespace ghost not found");
        oneLineError(jpm.cli("restart", "keep", "42"), "42 not found");
        keep.assertUnchanged(jpm);
    }

    @Test
    void anUnknownFlagOrCommand(Jpm jpm) {
        oneLineError(
                jpm.cli("start", Jpm.fixture("tree.sh").toString(), "--wtach"), "unknown option '--wtach' for 'start'");
        oneLineError(jpm.cli("stop", "keep", "--hard"), "unknown option '--hard' for 'stop'");
        oneLineError(jpm.cli("sart", "x"), "unknown command 'sart'");
        keep.assertUnchanged(jpm);
    }

    @Test
    void badNumbers(Jpm jpm) {
        String tree = Jpm.fixture("tree.sh").toString();
        oneLineError(jpm.cli("start", tree, "-i", "lots"), "-i expects a number or max, got 'lots'");
        oneLineError(jpm.cli("start", tree, "--max-restarts", "-3"), "--max-restarts expects a whole number, got '-3'");
        oneLineError(jpm.cli("start", tree, "--kill-timeout", "soon"), "--kill-timeout expects a duration");
        oneLineError(
                jpm.cli("start", tree, "--stop-exit-codes", "1,x"),
                "--stop-exit-codes expects a whole number, got 'x'");
        keep.assertUnchanged(jpm);
    }

    @Test
    void aBadSignal(Jpm jpm) {
        oneLineError(jpm.cli("sendSignal", "SIGNOPE", "keep"), "unknown signal 'SIGNOPE'");
        oneLineError(
                jpm.cli("start", Jpm.fixture("tree.sh").toString(), "--name", "x", "--kill-signal", "SIGFOO"),
                "option 'kill_signal' unknown signal 'SIGFOO'");
        keep.assertUnchanged(jpm);
    }

    @Test
    void aMalformedEcosystemFileStartsNothing(Jpm jpm) throws IOException {
        Path file = jpm.write("broken.json", "{\"apps\": [ {\"name\": \"a\", \"script\": \"x.sh\" ");
        oneLineError(
                jpm.cli("start", file.toString()),
                file + ":1:43: not valid JSON: Unexpected end-of-input: expected close marker for Object");
        keep.assertUnchanged(jpm);
    }

    @Test
    void anEcosystemFileWithABadValueStartsNothingOfIt(Jpm jpm) throws IOException {
        // a value pm2 refuses too (its schema wants a number): the whole file is refused
        Path tree = Jpm.fixture("tree.sh");
        Path file = jpm.ecosystem(
                "eco.json", Jpm.app("good", tree), Jpm.app("bad", tree).put("max_restarts", "three"));
        oneLineError(
                jpm.cli("start", file.toString()),
                file + ": app 'bad': option 'max_restarts' must be a whole number, got three");
        Files.writeString(
                file, Jpm.ecosystem(Jpm.app("good", tree), Jpm.app("bad", tree).put("instances", "four")));
        oneLineError(
                jpm.cli("start", file.toString()), "app 'bad': option 'instances' must be a whole number, got four");
        keep.assertUnchanged(jpm);
    }

    @Test
    void anUnknownOptionOnlyWarnsAndStrictRefusesIt(Jpm jpm) throws IOException {
        // pm2 drops an option it does not know and runs the app: so does jpm, saying so
        Path tree = Jpm.fixture("tree.sh");
        Path file = jpm.ecosystem("typo.json", Jpm.app("typo", tree).put("max_restart", 3));
        String warning = file
                + ": app 'typo': option 'max_restart' is not a known option: ignored; did you mean 'max_restarts'?";

        Jpm.Result strict = jpm.cli("start", file.toString(), "--strict");
        oneLineError(strict, warning + " (refused: strict reading is on)");
        keep.assertUnchanged(jpm);

        Jpm.Result started = jpm.cli("start", file.toString());
        assertEquals(0, started.exit(), started.toString());
        assertTrue(started.err().contains("[jpm] warning: " + warning), started.toString());
        jpm.awaitStatus("typo", "online");
        assertTrue(
                jpm.ok("ls").out().contains("typo: 1 warning reading its options (jpm describe typo)"),
                jpm.ok("ls").out());
        assertTrue(jpm.ok("describe", "typo").out().contains("option 'max_restart' is not a known option"));
        // said where it applies: under jpm ls and the commands on typo, not under an unrelated start
        Jpm.Result unrelated = jpm.ok("start", tree.toString(), "--name", "unrelated");
        assertTrue(!unrelated.out().contains("typo: 1 warning"), unrelated.toString());
        Jpm.Result restarted = jpm.ok("restart", "typo");
        assertTrue(restarted.out().contains("typo: 1 warning reading its options"), restarted.toString());
        assertEquals(
                new JsonArray().add(warning),
                jpm.named("typo").get(0).getJsonObject("jpm").getJsonArray("warnings"));
    }

    @Test
    void aWrongOrMissingTokenIsRefused(Jpm jpm) throws IOException {
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            JsonObject wrong = bridge.request("jpm.cmd.stop", stopOf("all"), "not-the-token");
            assertEquals("err", wrong.getString("type"), wrong.encode());
            assertEquals(16, wrong.getInteger("failureCode"));
            assertTrue(wrong.getString("message").contains("wrong token"), wrong.encode());
        }
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            JsonObject none = bridge.request("jpm.cmd.stop", stopOf("all"), null);
            assertEquals(16, none.getInteger("failureCode"), none.encode());
            assertTrue(none.getString("message").contains("no token"), none.encode());
        }
        keep.assertUnchanged(jpm);
        String log = Files.readString(jpm.home.resolve("daemon.log"));
        assertTrue(log.contains("refused send to jpm.cmd.stop") && log.contains("wrong token"), log);
    }

    @Test
    void theReadOnlyTokenMayQueryButNotCommand(Jpm jpm) throws IOException {
        String readOnly = RawBridge.token(jpm.home, "token.readonly");
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            JsonObject list = bridge.request("jpm.query.list", new JsonObject(), readOnly);
            assertEquals("message", list.getString("type"), list.encode());
            assertEquals(1, list.getJsonObject("body").getJsonArray("data").size());
            JsonObject table = bridge.request(
                            "jpm.query.list", new JsonObject().put("env", false).put("view", "table"), readOnly)
                    .getJsonObject("body")
                    .getJsonArray("data")
                    .getJsonObject(0);
            assertEquals(Set.of("pm_id", "name", "pid", "monit", "pm2_env"), table.fieldNames(), table.encode());
            assertEquals(
                    Set.of(
                            "status",
                            "exec_mode",
                            "pm_uptime",
                            "restart_time",
                            "namespace",
                            "version",
                            "username",
                            "watch"),
                    table.getJsonObject("pm2_env").fieldNames());
            assertEquals("online", table.getJsonObject("pm2_env").getString("status"));
            JsonObject stop = bridge.request("jpm.cmd.stop", stopOf("keep"), readOnly);
            assertEquals(16, stop.getInteger("failureCode"), stop.encode());
            assertTrue(stop.getString("message").contains("read-only token"), stop.encode());
        }
        keep.assertUnchanged(jpm);
    }

    @Test
    void addressesOutsideThePermittedListsAreRefused(Jpm jpm) throws IOException {
        String admin = RawBridge.token(jpm.home, "token");
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            JsonObject internal = bridge.request("jpm.internal.god.shutdown", new JsonObject(), admin);
            assertEquals("err", internal.getString("type"), internal.encode());
            assertEquals("access_denied", internal.getString("message"));
            bridge.write(new JsonObject()
                    .put("type", "register")
                    .put("address", "jpm.internal.logs.chunk")
                    .put("headers", new JsonObject().put("token", admin)));
            JsonObject register = bridge.read(10_000);
            assertNotNull(register);
            assertEquals("access_denied", register.getString("message"), register.encode());
        }
        keep.assertUnchanged(jpm);
    }

    @Test
    void malformedFramesGetAnErrorAndChangeNothing(Jpm jpm) throws IOException {
        String admin = RawBridge.token(jpm.home, "token");
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            bridge.writeRaw("{\"type\":\"send\",\"address\":\"jpm.cmd.stop\", oops".getBytes(StandardCharsets.UTF_8));
            JsonObject notJson = bridge.read(10_000);
            assertEquals("err", notJson.getString("type"));
            assertEquals("malformed frame: not a JSON object", notJson.getString("message"));

            bridge.write(new JsonObject().put("type", "fetch").put("address", "jpm.query.list"));
            JsonObject badType = bridge.read(10_000);
            assertTrue(
                    badType.getString("message").startsWith("malformed frame: type must be one of"), badType.encode());

            // the connection still works after both
            JsonObject ping = bridge.request("jpm.query.ping", new JsonObject(), admin);
            assertEquals(true, ping.getJsonObject("body").getJsonObject("data").getBoolean("pong"), ping.encode());
        }
        keep.assertUnchanged(jpm);
    }

    @Test
    void anOversizedFrameIsRefusedBeforeItIsRead(Jpm jpm) throws IOException {
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            bridge.writeLength(Integer.MAX_VALUE);
            JsonObject refused = bridge.read(10_000);
            assertNotNull(refused);
            assertTrue(refused.getString("message").startsWith("frame length 2147483647 is outside"), refused.encode());
            assertTrue(bridge.closedByPeer(10_000), "no way to find the next frame: the connection is closed");
        }
        assertTrue(jpm.ok("ping").out().contains("pong"));
        keep.assertUnchanged(jpm);
    }

    @Test
    void aProxyProtocolThatIsNotABoolean(Jpm jpm) throws IOException {
        Path eco = jpm.ecosystem(
                "proxy.json",
                Jpm.app("pp", Jpm.fixture("hello_server.py"))
                        .put("port", Ports.free())
                        .put("proxy_protocol", "yes"));
        oneLineError(
                jpm.cli("start", eco.toString()), "app 'pp': option 'proxy_protocol' must be true or false, got yes");
        keep.assertUnchanged(jpm);
    }
}
