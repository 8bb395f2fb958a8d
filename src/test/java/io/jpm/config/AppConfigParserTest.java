package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.process.RestartPolicy;
import io.jpm.process.Signal;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.serve.StaticServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppConfigParserTest {
    private static final String WHERE = "conf/ecosystem.json";
    private static final Map<String, String> CLIENT_ENV =
            Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/me", "A", "client");

    @TempDir
    Path dir;

    private AppConfigParser parser;

    @BeforeEach
    void scripts() throws IOException {
        Files.writeString(dir.resolve("server.js"), "setInterval(() => {}, 1000);\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/worker.py"), "import time\n");
        Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(dir.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("app.jar"), "not really a jar");
        parser = new AppConfigParser(WHERE, dir, CLIENT_ENV);
    }

    private AppConfig parse(String json) {
        return parser.parse(new JsonObject(json), null);
    }

    private JpmException fails(String json) {
        return assertThrows(JpmException.class, () -> parse(json));
    }

    /** The message names where the app came from, the app and the option. */
    private static void assertNames(JpmException e, String app, String option) {
        String m = e.getMessage();
        assertTrue(m.startsWith(WHERE + ": "), m);
        assertTrue(m.contains(app), m);
        assertTrue(m.contains("option '" + option + "'"), m);
    }

    /**
     * Parsing {@code json} is refused as an invalid config, by a message that names the file,
     * {@code app} and {@code option}, and says {@code words}.
     */
    private JpmException assertRefused(String json, String app, String option, String words) {
        JpmException e = fails(json);
        assertEquals(JpmError.INVALID_CONFIG, e.error());
        assertNames(e, app, option);
        assertTrue(e.getMessage().contains(words), e.getMessage());
        return e;
    }

    /** Parsing {@code json} fails on a missing script, by a message naming {@code app} and the script's full path. */
    private JpmException assertScriptNotFound(String json, String app, String script) {
        JpmException e = fails(json);
        assertEquals(JpmError.SCRIPT_NOT_FOUND, e.error());
        assertTrue(e.getMessage().contains(app), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve(script).toString()), e.getMessage());
        return e;
    }

    // ---- defaults and resolution ----

    @Test
    void defaults() {
        AppConfig app = parse("{\"script\":\"server.js\"}");
        assertEquals("server", app.name());
        assertEquals(dir.resolve("server.js").toString(), app.script());
        assertEquals(List.of("node"), app.interpreter());
        assertEquals("node", app.interpreterName());
        assertEquals(List.of(), app.interpreterArgs());
        assertEquals(List.of(), app.args());
        assertEquals(dir, app.cwd());
        assertEquals(1, app.instances());
        assertEquals("fork", app.execMode());
        assertEquals(CLIENT_ENV, app.env());
        assertNull(app.outFile());
        assertNull(app.errorFile());
        assertEquals(RestartPolicy.defaults(), app.policy());
        RestartPolicy p = app.policy();
        assertTrue(p.autorestart());
        assertEquals(16, p.maxRestarts());
        assertEquals(1000, p.minUptimeMs());
        assertEquals(1600, p.killTimeoutMs());
        assertEquals(Signal.SIGINT, p.killSignal());
    }

    @Test
    void defaultNameIsTheFileNameWithoutExtension() {
        assertEquals("server", AppConfigParser.defaultName("/srv/server.js"));
        assertEquals("my.app", AppConfigParser.defaultName("lib/my.app.py"));
        assertEquals("sleep", AppConfigParser.defaultName("sleep"));
        assertEquals(".hidden", AppConfigParser.defaultName(".hidden"));
    }

    @Test
    void explicitNameWins() {
        assertEquals("api", parse("{\"name\":\"api\",\"script\":\"server.js\"}").name());
    }

    @Test
    void relativeScriptIsResolvedAgainstTheCwdOption() {
        AppConfig app = parse("{\"script\":\"worker.py\",\"cwd\":\"sub\"}");
        assertEquals(dir.resolve("sub/worker.py").toString(), app.script());
        assertEquals(dir.resolve("sub"), app.cwd());
        assertEquals("worker", app.name());
        assertEquals(List.of("python3"), app.interpreter());
    }

    @Test
    void relativeScriptIsResolvedAgainstTheBaseDirWithoutCwd() {
        AppConfig app = parse("{\"script\":\"sub/../sub/worker.py\"}");
        assertEquals(dir.resolve("sub/worker.py").toString(), app.script());
        assertEquals(dir, app.cwd());
    }

    @Test
    void absoluteScriptIsKept() {
        String abs = dir.resolve("run.sh").toString();
        AppConfig app =
                new AppConfigParser(WHERE, Path.of("/"), CLIENT_ENV).parse(new JsonObject().put("script", abs), null);
        assertEquals(abs, app.script());
        assertEquals(List.of("bash"), app.interpreter());
    }

    @Test
    void sourceRecordsTheResolvedValues() {
        AppConfig app = parse("{\"script\":\"worker.py\",\"cwd\":\"sub\",\"max_restarts\":3}");
        assertEquals("worker", app.source().getString("name"));
        assertEquals(dir.resolve("sub/worker.py").toString(), app.source().getString("script"));
        assertEquals(dir.resolve("sub").toString(), app.source().getString("cwd"));
        assertEquals(3, app.source().getInteger("max_restarts"));
    }

    @Test
    void parseDoesNotChangeTheInput() {
        JsonObject input = new JsonObject().put("script", "server.js");
        parser.parse(input, null);
        assertEquals(new JsonObject().put("script", "server.js"), input);
    }

    @Test
    void interpreterByExtensionAndExplicit() {
        assertEquals(List.of("bash"), parse("{\"script\":\"run.sh\"}").interpreter());
        assertEquals(List.of("java", "-jar"), parse("{\"script\":\"app.jar\"}").interpreter());
        assertEquals(
                List.of(),
                parse("{\"script\":\"run.sh\",\"interpreter\":\"none\"}").interpreter());
        assertEquals(
                "none",
                parse("{\"script\":\"run.sh\",\"interpreter\":\"none\"}").interpreterName());
        assertEquals(
                List.of("/bin/sh"),
                parse("{\"script\":\"run.sh\",\"interpreter\":\"/bin/sh\"}").interpreter());
    }

    @Test
    void commandOrderIsInterpreterInterpreterArgsScriptArgs() {
        AppConfig app =
                parse("{\"script\":\"worker.py\",\"cwd\":\"sub\",\"interpreter_args\":\"-u -X dev\",\"args\":\"a b\"}");
        assertEquals(
                List.of(
                        "python3",
                        "-u",
                        "-X",
                        "dev",
                        dir.resolve("sub/worker.py").toString(),
                        "a",
                        "b"),
                app.command());
    }

    @Test
    void jarCommandPutsInterpreterArgsBeforeDashJar() {
        AppConfig app =
                parse("{\"script\":\"app.jar\",\"interpreter_args\":[\"-Xmx64m\"],\"args\":[\"--port\",\"3000\"]}");
        assertEquals(
                List.of("java", "-Xmx64m", "-jar", dir.resolve("app.jar").toString(), "--port", "3000"), app.command());
    }

    @Test
    void directExecutionCommandIsScriptThenArgs() {
        AppConfig app = parse("{\"script\":\"run.sh\",\"interpreter\":\"none\",\"args\":[\"x\"]}");
        assertEquals(List.of(dir.resolve("run.sh").toString(), "x"), app.command());
    }

    @Test
    void nodeArgsIsAnAliasOfInterpreterArgs() {
        assertEquals(
                List.of("--inspect"),
                parse("{\"script\":\"server.js\",\"node_args\":\"--inspect\"}").interpreterArgs());
        assertEquals(
                List.of("--a"),
                parse("{\"script\":\"server.js\",\"interpreter_args\":\"--a\",\"node_args\":\"--b\"}")
                        .interpreterArgs());
    }

    @Test
    void argsAsStringAreSplitLikeAShell() {
        AppConfig app = parse("{\"script\":\"server.js\",\"args\":\"--name 'my app' -v \\\"x y\\\"\"}");
        assertEquals(List.of("--name", "my app", "-v", "x y"), app.args());
    }

    @Test
    void argsAsArrayAreKeptAsWordsAndScalarsBecomeText() {
        AppConfig app = parse("{\"script\":\"server.js\",\"args\":[\"--name\",\"my app\",\"--port\",3000,true]}");
        assertEquals(List.of("--name", "my app", "--port", "3000", "true"), app.args());
    }

    @Test
    void envIsMergedOverTheClientEnv() {
        AppConfig app = parse("{\"script\":\"server.js\",\"env\":{\"A\":\"app\",\"PORT\":3000,\"EMPTY\":null}}");
        assertEquals("app", app.env().get("A"));
        assertEquals("3000", app.env().get("PORT"));
        assertEquals("", app.env().get("EMPTY"));
        assertEquals("/home/me", app.env().get("HOME"));
    }

    @Test
    void envNamePicksEnvBlockMergedOverEnv() {
        JsonObject json = new JsonObject("{\"script\":\"server.js\",\"env\":{\"A\":\"app\",\"PORT\":3000},"
                + "\"env_production\":{\"A\":\"prod\",\"DEBUG\":false},\"env_staging\":{\"A\":\"staging\"}}");
        AppConfig prod = parser.parse(json, "production");
        assertEquals("prod", prod.env().get("A"));
        assertEquals("false", prod.env().get("DEBUG"));
        assertEquals("3000", prod.env().get("PORT"));
        assertEquals("/home/me", prod.env().get("HOME"));

        AppConfig plain = parser.parse(json, null);
        assertEquals("app", plain.env().get("A"));
        assertFalse(plain.env().containsKey("DEBUG"));

        assertEquals("app", parser.parse(json, "absent").env().get("A"));
    }

    @Test
    void instances() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(
                cores, parse("{\"script\":\"server.js\",\"instances\":\"max\"}").instances());
        assertEquals(cores, parse("{\"script\":\"server.js\",\"instances\":0}").instances());
        assertEquals(
                Math.max(1, cores - 1),
                parse("{\"script\":\"server.js\",\"instances\":-1}").instances());
        assertEquals(1, parse("{\"script\":\"server.js\",\"instances\":-1000}").instances());
        assertEquals(4, parse("{\"script\":\"server.js\",\"instances\":4}").instances());
        assertEquals(4, parse("{\"script\":\"server.js\",\"instances\":\"4\"}").instances());
    }

    @Test
    void policyOptions() {
        RestartPolicy p = parse(
                        "{\"script\":\"server.js\",\"autorestart\":false,\"max_restarts\":5,\"min_uptime\":\"3s\","
                                + "\"restart_delay\":250,\"exp_backoff_restart_delay\":\"100ms\",\"kill_timeout\":\"1m\","
                                + "\"kill_signal\":\"usr2\",\"stop_exit_codes\":[0,3]}")
                .policy();
        assertEquals(new RestartPolicy(false, 5, 3000, 250, 100, Set.of(0, 3), 60_000, Signal.SIGUSR2), p);
    }

    @Test
    void autorestartAsTextAndSingleStopExitCode() {
        RestartPolicy p = parse(
                        "{\"script\":\"server.js\",\"autorestart\":\"false\",\"stop_exit_codes\":0,\"max_restarts\":\"7\"}")
                .policy();
        assertFalse(p.autorestart());
        assertEquals(Set.of(0), p.stopExitCodes());
        assertEquals(7, p.maxRestarts());
    }

    @Test
    void logPathsAreResolvedAgainstCwd() {
        AppConfig app = parse(
                "{\"script\":\"worker.py\",\"cwd\":\"sub\",\"out_file\":\"logs/out.log\",\"error_file\":\"/var/log/e.log\"}");
        assertEquals(dir.resolve("sub/logs/out.log").toString(), app.outFile());
        assertEquals("/var/log/e.log", app.errorFile());
    }

    @Test
    void commandOnPathResolvesToAnAbsolutePath() {
        AppConfig app = parse("{\"script\":\"sleep\",\"args\":\"60\"}");
        Path script = Path.of(app.script());
        assertTrue(script.isAbsolute(), app.script());
        assertEquals("sleep", script.getFileName().toString());
        assertTrue(Files.isExecutable(script));
        assertEquals("sleep", app.name());
        assertEquals(List.of(), app.interpreter());
        assertEquals(List.of(app.script(), "60"), app.command());
    }

    @Test
    void pathSearchUsesTheClientPathAndNeedsAnExecutable() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path tool = Files.writeString(bin.resolve("tool"), "#!/bin/sh\n");
        var p = new AppConfigParser(WHERE, dir.resolve("sub"), Map.of("PATH", "/nonexistent:" + bin));
        JpmException e = assertThrows(JpmException.class, () -> p.parse(new JsonObject().put("script", "tool"), null));
        assertEquals(JpmError.SCRIPT_NOT_FOUND, e.error());

        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(
                tool.toString(),
                p.parse(new JsonObject().put("script", "tool"), null).script());
    }

    @Test
    void pathIsSearchedWhateverTheInterpreter() {
        // pm2's prepareAppConf looks a script up on PATH whenever it is not a file: `npm` with node_args
        AppConfig app = parse("{\"script\":\"sleep\",\"interpreter\":\"python3\"}");
        assertTrue(app.script().endsWith("/sleep"), app.script());
        assertEquals(List.of("python3"), app.interpreter());
    }

    @Test
    void relativePathEntryIsResolvedAgainstTheBaseDir() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("node_modules/.bin"));
        Path tool = Files.writeString(bin.resolve("tool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        var p = new AppConfigParser("command line", dir, Map.of("PATH", "node_modules/.bin:/usr/bin:/bin"));
        assertEquals(
                tool.toString(),
                p.parse(new JsonObject().put("script", "tool"), null).script());
    }

    @Test
    void parseAllKeepsOrder() {
        List<AppConfig> apps = parser.parseAll(
                new JsonArray(
                        "[{\"name\":\"web\",\"script\":\"server.js\"},{\"script\":\"worker.py\",\"cwd\":\"sub\"}]"),
                null);
        assertEquals(
                List.of("web", "worker"), apps.stream().map(AppConfig::name).toList());
    }

    @Test
    void configIsImmutable() {
        AppConfig app = parse("{\"script\":\"server.js\",\"args\":\"a\"}");
        assertThrows(UnsupportedOperationException.class, () -> app.args().add("b"));
        assertThrows(UnsupportedOperationException.class, () -> app.env().put("X", "y"));
    }

    // ---- errors: one per kind ----

    /** The one warning of an app, which names where the app came from, the app and the option. */
    private static String onlyWarning(AppConfig app, String label, String option) {
        assertEquals(1, app.warnings().size(), app.warnings().toString());
        String warning = app.warnings().get(0);
        assertTrue(warning.startsWith(WHERE + ": "), warning);
        assertTrue(warning.contains(label), warning);
        assertTrue(warning.contains("option '" + option + "'"), warning);
        return warning;
    }

    @Test
    void unknownOptionIsIgnoredWithAWarningThatSuggestsTheClosest() {
        // pm2 drops an option it does not know (its validateJSON keeps only its schema's): the app runs
        AppConfig app = parse("{\"name\":\"api\",\"script\":\"server.js\",\"max_restart\":3}");
        String warning = onlyWarning(app, "app 'api'", "max_restart");
        assertTrue(warning.contains("is not a known option: ignored"), warning);
        assertTrue(warning.contains("did you mean 'max_restarts'?"), warning);
        assertEquals(RestartPolicy.defaults().maxRestarts(), app.policy().maxRestarts());
        assertFalse(app.source().containsKey("max_restart"), app.source().encode());
    }

    @Test
    void unknownOptionWithNothingCloseHasNoSuggestion() {
        String warning = onlyWarning(
                parse("{\"name\":\"api\",\"script\":\"server.js\",\"completely_unrelated\":1}"),
                "app 'api'",
                "completely_unrelated");
        assertFalse(warning.contains("did you mean"), warning);
    }

    @Test
    void unknownOptionOfAnUnnamedAppNamesItsScript() {
        String warning = onlyWarning(parse("{\"script\":\"server.js\",\"intances\":2}"), "server.js", "intances");
        assertTrue(warning.contains("did you mean 'instances'?"), warning);
    }

    @Test
    void aFolderAsScriptRunsWithNode() throws IOException {
        // pm2 hands the folder to node, which loads its index.js (or package.json's main)
        Files.createDirectories(dir.resolve("dist"));
        Files.writeString(dir.resolve("dist/index.js"), "setInterval(() => {}, 1000);\n");
        AppConfig app = parse("{\"name\":\"d\",\"script\":\"./dist\"}");
        assertEquals(dir.resolve("dist").toString(), app.script());
        // node as pm2 names it when it chose node by content: the one on the caller's PATH, in full
        String node = Arrays.stream(CLIENT_ENV.get("PATH").split(":"))
                .map(d -> Path.of(d, "node"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow()
                .toString();
        assertEquals(List.of(node), app.interpreter());
        assertEquals(
                List.of("node"),
                parse("{\"name\":\"s\",\"script\":\"server.js\"}").interpreter(),
                "a .js name says node");
    }

    @Test
    void anInterpreterThatIsNotThereRefusesTheApp() {
        // pm2: "Interpreter python9 is NOT AVAILABLE in PATH", the app is not started
        assertNames(
                fails("{\"name\":\"api\",\"script\":\"server.js\",\"interpreter\":\"python9\"}"),
                "app 'api'",
                "interpreter");
        assertNames(
                fails("{\"name\":\"api\",\"script\":\"server.js\",\"interpreter\":\"./venv/bin/python\"}"),
                "app 'api'",
                "interpreter");
    }

    @Test
    void pythonRunsUnbufferedUnlessTheAppSaysOtherwise() {
        // pm2 sets PYTHONUNBUFFERED=1 for every python interpreter: print() reaches the log at once
        assertEquals(
                "1",
                parse("{\"name\":\"w\",\"script\":\"sub/worker.py\"}").env().get("PYTHONUNBUFFERED"));
        assertEquals(
                "0",
                parse("{\"name\":\"w\",\"script\":\"sub/worker.py\",\"env\":{\"PYTHONUNBUFFERED\":\"0\"}}")
                        .env()
                        .get("PYTHONUNBUFFERED"));
        assertNull(parse("{\"name\":\"s\",\"script\":\"server.js\"}").env().get("PYTHONUNBUFFERED"));
    }

    @Test
    void strictReadingRefusesWhatWouldBeAWarning() {
        parser.strict(true);
        assertRefused("{\"name\":\"api\",\"script\":\"server.js\",\"instance\":2}", "app 'api'", "instance", "strict");
        assertEquals(
                List.of(), parse("{\"name\":\"api\",\"script\":\"server.js\"}").warnings());
    }

    @Test
    void traceOnAnAppNodeDoesNotRunWarnsEvenWhenStrict() {
        parser.strict(true);
        AppConfig shell = parse("{\"name\":\"sh\",\"script\":\"run.sh\",\"trace\":true}");
        assertEquals(1, shell.warnings().size(), shell.warnings()::toString);
        assertTrue(shell.warnings().get(0).contains("'trace' applies to Node apps only"), shell.warnings()::toString);
        assertTrue(shell.ecosystem().trace());
        AppConfig node = parse("{\"name\":\"web\",\"script\":\"server.js\",\"trace\":true}");
        assertEquals(List.of(), node.warnings());
        assertTrue(node.ecosystem().trace());
        assertFalse(parse("{\"name\":\"off\",\"script\":\"server.js\",\"trace\":true,\"disable_trace\":true}")
                .ecosystem()
                .trace());
    }

    @Test
    void cmdAndCommandStandForScript() {
        assertEquals(
                dir.resolve("server.js").toString(),
                parse("{\"name\":\"a\",\"cmd\":\"server.js\"}").script());
        assertEquals(
                dir.resolve("server.js").toString(),
                parse("{\"name\":\"a\",\"command\":\"server.js\"}").script());
        assertEquals(List.of(), parse("{\"name\":\"a\",\"cmd\":\"server.js\"}").warnings());
    }

    @Test
    void anOptionUnderTwoSpellingsKeepsTheCanonicalOneAndWarns() {
        AppConfig app = parse("{\"name\":\"a\",\"exec\":\"run.sh\",\"script\":\"server.js\"}");
        assertEquals(dir.resolve("server.js").toString(), app.script());
        assertTrue(
                onlyWarning(app, "app 'a'", "script").contains("given twice"),
                app.warnings().toString());
    }

    @Test
    void waitReadyAndShutdownWithMessageAreRead() throws Exception {
        AppConfig c = parser.parse(
                new JsonObject("{\"name\":\"api\",\"script\":\"server.js\",\"wait_ready\":true,"
                        + "\"shutdown_with_message\":true,\"listen_timeout\":\"8s\"}"),
                null);
        assertTrue(c.ecosystem().waitReady());
        assertTrue(c.ecosystem().shutdownWithMessage());
        assertEquals(8000, c.balancer().listenTimeoutMs());
        assertTrue(c.isNode(), "server.js runs under node");
        assertEquals(
                List.of("node", "-r", "/x/jpm-ipc.js", c.script()), c.launchCommand(List.of("-r", "/x/jpm-ipc.js")));
        JpmException e = fails("{\"name\":\"api\",\"script\":\"server.js\",\"wait_ready\":\"yes\"}");
        assertNames(e, "app 'api'", "wait_ready");
    }

    @Test
    void wrongTypeForMaxRestarts() {
        JpmException e = assertRefused(
                "{\"name\":\"api\",\"script\":\"server.js\",\"max_restarts\":\"many\"}",
                "app 'api'",
                "max_restarts",
                "whole number");
        assertTrue(e.getMessage().contains("many"), e.getMessage());
    }

    @Test
    void fractionalMaxRestartsIsRefused() {
        assertNames(
                fails("{\"name\":\"api\",\"script\":\"server.js\",\"max_restarts\":1.5}"), "app 'api'", "max_restarts");
    }

    @Test
    void wrongTypeForName() {
        assertRefused("{\"name\":42,\"script\":\"server.js\"}", "server.js", "name", "must be a string");
    }

    @Test
    void objectInArgs() {
        JpmException e = fails("{\"name\":\"api\",\"script\":\"server.js\",\"args\":{\"port\":3000}}");
        assertNames(e, "app 'api'", "args");
        JpmException inArray = fails("{\"name\":\"api\",\"script\":\"server.js\",\"args\":[\"a\",{\"port\":3000}]}");
        assertNames(inArray, "app 'api'", "args");
    }

    @Test
    void unclosedQuoteInArgs() {
        JpmException e = fails("{\"name\":\"api\",\"script\":\"server.js\",\"args\":\"--name 'my app\"}");
        assertNames(e, "app 'api'", "args");
        assertTrue(e.getMessage().contains("unclosed quote"), e.getMessage());
    }

    @Test
    void wrongTypeForAutorestart() {
        assertNames(
                fails("{\"name\":\"api\",\"script\":\"server.js\",\"autorestart\":\"yes\"}"),
                "app 'api'",
                "autorestart");
    }

    @Test
    void badDuration() {
        assertRefused(
                "{\"name\":\"api\",\"script\":\"server.js\",\"min_uptime\":\"soon\"}",
                "app 'api'",
                "min_uptime",
                "duration");
        assertNames(
                fails("{\"name\":\"api\",\"script\":\"server.js\",\"kill_timeout\":-5}"), "app 'api'", "kill_timeout");
        assertNames(
                fails("{\"name\":\"api\",\"script\":\"server.js\",\"restart_delay\":true}"),
                "app 'api'",
                "restart_delay");
    }

    @Test
    void badKillSignal() {
        assertRefused(
                "{\"name\":\"api\",\"script\":\"server.js\",\"kill_signal\":\"SIGFOO\"}",
                "app 'api'",
                "kill_signal",
                "SIGFOO");
    }

    @Test
    void stopExitCodesOutOfRange() {
        assertRefused(
                "{\"name\":\"api\",\"script\":\"server.js\",\"stop_exit_codes\":[0,256]}",
                "app 'api'",
                "stop_exit_codes",
                "256");
        assertNames(
                fails("{\"name\":\"api\",\"script\":\"server.js\",\"stop_exit_codes\":[-1]}"),
                "app 'api'",
                "stop_exit_codes");
        assertNames(
                fails("{\"name\":\"api\",\"script\":\"server.js\",\"stop_exit_codes\":[\"1\"]}"),
                "app 'api'",
                "stop_exit_codes");
        assertNames(
                fails("{\"name\":\"api\",\"script\":\"server.js\",\"stop_exit_codes\":1.5}"),
                "app 'api'",
                "stop_exit_codes");
    }

    @Test
    void tooManyInstances() {
        assertNames(fails("{\"name\":\"api\",\"script\":\"server.js\",\"instances\":2000}"), "app 'api'", "instances");
        assertNames(
                fails("{\"name\":\"api\",\"script\":\"server.js\",\"instances\":\"lots\"}"), "app 'api'", "instances");
    }

    @Test
    void envMustBeAnObject() {
        assertNames(fails("{\"name\":\"api\",\"script\":\"server.js\",\"env\":\"A=1\"}"), "app 'api'", "env");
    }

    @Test
    void objectsAndArraysInEnvAreTheirJsonText() {
        // pm2's mergeEnvironmentVariables JSON.stringify()s them; the app parses the variable back
        AppConfig app = parse(
                "{\"name\":\"api\",\"script\":\"server.js\",\"env\":{\"A\":{\"b\":[1,2]},\"L\":[\"x\"],\"N\":3}}");
        assertEquals("{\"b\":[1,2]}", app.env().get("A"));
        assertEquals("[\"x\"]", app.env().get("L"));
        assertEquals("3", app.env().get("N"));
    }

    @Test
    void missingScript() {
        JpmException e = assertScriptNotFound("{\"name\":\"api\",\"script\":\"nope.js\"}", "app 'api'", "nope.js");
        assertTrue(e.getMessage().startsWith(WHERE + ": "), e.getMessage());
    }

    @Test
    void missingScriptUnderCwdNamesTheResolvedPath() {
        assertScriptNotFound("{\"script\":\"nope.py\",\"cwd\":\"sub\"}", "app 'nope'", "sub/nope.py");
    }

    @Test
    void scriptIsRequired() {
        JpmException e = fails("{\"name\":\"api\"}");
        assertEquals(JpmError.INVALID_CONFIG, e.error());
        assertNames(e, "app 'api'", "script");
        assertNames(fails("{\"name\":\"api\",\"script\":\"  \"}"), "app 'api'", "script");
    }

    @Test
    void cwdNotAFolder() {
        assertRefused(
                "{\"name\":\"api\",\"script\":\"server.js\",\"cwd\":\"server.js\"}",
                "app 'api'",
                "cwd",
                dir.resolve("server.js").toString());
        assertNames(fails("{\"name\":\"api\",\"script\":\"server.js\",\"cwd\":\"missing\"}"), "app 'api'", "cwd");
    }

    /**
     * pm2 starts a file's other apps when one's cwd is not a folder: the app is read (it is listed,
     * and errors at its spawn) with the file, the app and the option named in a warning.
     */
    @Test
    void aFilesAppWhoseCwdIsNotAFolderIsReadWithAWarning() {
        Path file = dir.resolve("ecosystem.json");
        List<AppConfig> apps = AppConfigParser.forFile(file, dir, CLIENT_ENV)
                .parseAll(
                        new JsonArray("[{\"name\":\"api\",\"script\":\"server.js\"},"
                                + "{\"name\":\"gone\",\"script\":\"server.js\",\"cwd\":\"missing\"}]"),
                        null);
        assertEquals(List.of("api", "gone"), apps.stream().map(AppConfig::name).toList());
        AppConfig gone = apps.get(1);
        assertEquals(dir.resolve("missing"), gone.cwd());
        assertEquals(dir.resolve("missing/server.js").toString(), gone.script());
        assertEquals(
                List.of(file + ": app 'gone': option 'cwd' is not a folder: " + dir.resolve("missing")),
                gone.warnings());
        assertEquals(List.of(), apps.get(0).warnings());
        JpmException strict = assertThrows(JpmException.class, () -> AppConfigParser.forFile(file, dir, CLIENT_ENV)
                .strict(true)
                .parse(new JsonObject("{\"name\":\"gone\",\"script\":\"server.js\",\"cwd\":\"missing\"}"), null));
        assertTrue(strict.getMessage().contains("option 'cwd' is not a folder"), strict.getMessage());
    }

    @Test
    void duplicateNamesInParseAll() {
        JpmException e = assertThrows(
                JpmException.class,
                () -> parser.parseAll(
                        new JsonArray(
                                "[{\"name\":\"api\",\"script\":\"server.js\"},{\"name\":\"api\",\"script\":\"run.sh\"}]"),
                        null));
        assertEquals(JpmError.INVALID_CONFIG, e.error());
        assertTrue(e.getMessage().startsWith(WHERE + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("'api'"), e.getMessage());
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
    }

    @Test
    void duplicateDefaultNamesInParseAll() {
        JpmException e = assertThrows(
                JpmException.class,
                () -> parser.parseAll(
                        new JsonArray("[{\"script\":\"server.js\"},{\"script\":\"server.js\",\"args\":\"x\"}]"), null));
        assertTrue(e.getMessage().contains("'server'"), e.getMessage());
    }

    @Test
    void clusterModeWithoutAPortLoadsUnbalancedAsPm2FilesNeedIt() {
        AppConfig c = parse("{\"name\":\"api\",\"script\":\"server.js\",\"exec_mode\":\"cluster\",\"instances\":2}");
        assertEquals("cluster", c.execMode(), "shown as pm2 shows it, cluster_mode");
        assertFalse(c.balancer().balanced(), "no balancer without a port");
        assertEquals(
                "cluster",
                parse("{\"name\":\"api\",\"script\":\"server.js\",\"exec_mode\":\"cluster_mode\"}")
                        .execMode());
        assertNames(
                fails("{\"name\":\"api\",\"script\":\"server.js\",\"exec_mode\":\"threads\"}"),
                "app 'api'",
                "exec_mode");
    }

    @Test
    void nodeClusterAppsShareASocketAsUnderPm2AndOthersMustAskForIt() {
        // pm2's determineExecMode: a node script with instances and no exec_mode is cluster_mode
        AppConfig node = parse("{\"name\":\"api\",\"script\":\"server.js\",\"instances\":2}");
        assertEquals("cluster", node.execMode());
        assertTrue(node.balancer().sharesSocket());
        assertFalse(node.balancer().balanced(), "no proxy in socket mode");
        assertEquals(null, node.balancer().host(), "the app's own listen() says where");
        AppConfig single = parse("{\"name\":\"api\",\"script\":\"server.js\"}");
        assertEquals("fork", single.execMode());
        assertFalse(single.balancer().sharesSocket());
        assertFalse(parse("{\"name\":\"api\",\"script\":\"server.js\",\"instances\":2,\"exec_mode\":\"fork\"}")
                .balancer()
                .sharesSocket());
        AppConfig proxied = parse("{\"name\":\"api\",\"script\":\"server.js\",\"port\":3000,\"balance\":\"http\"}");
        assertTrue(proxied.balancer().balanced());
        AppConfig withPort =
                parse("{\"name\":\"api\",\"script\":\"server.js\",\"port\":3000,\"exec_mode\":\"cluster\"}");
        assertTrue(withPort.balancer().sharesSocket(), "socket is Node's default with a port too");
        AppConfig forkPort = parse("{\"name\":\"api\",\"script\":\"server.js\",\"port\":3000}");
        assertEquals("fork", forkPort.execMode(), "a port alone is pm2's PORT variable");
        assertEquals("3000", forkPort.env().get("PORT"));
        AppConfig bash =
                parse("{\"name\":\"sh\",\"script\":\"run.sh\",\"instances\":2,\"port\":8000,\"balance\":\"socket\"}");
        assertTrue(bash.balancer().sharesSocket());
        assertEquals("127.0.0.1", bash.balancer().host());
        assertFalse(
                parse("{\"name\":\"sh\",\"script\":\"run.sh\",\"instances\":2,\"port\":8000}")
                        .balancer()
                        .sharesSocket(),
                "any other app is proxied unless told");
        JpmException e = fails("{\"name\":\"sh\",\"script\":\"run.sh\",\"instances\":2,\"balance\":\"socket\"}");
        assertNames(e, "app 'sh'", "balance");
        assertTrue(e.getMessage().contains("'socket' needs a 'port'"), e.getMessage());
        assertNames(
                fails("{\"name\":\"api\",\"script\":\"server.js\",\"balance\":\"sockets\",\"port\":1}"),
                "app 'api'",
                "balance");
    }

    @Test
    void appEntryThatIsNotAnObject() {
        JpmException e = assertThrows(
                JpmException.class,
                () -> parser.parseAll(
                        new JsonArray("[{\"name\":\"api\",\"script\":\"server.js\"},\"server.js\"]"), null));
        assertEquals(JpmError.INVALID_CONFIG, e.error());
        assertTrue(e.getMessage().startsWith(WHERE + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("apps[1] must be an object"), e.getMessage());
    }

    @Test
    void aScriptRunDirectlyMustBeExecutable() throws IOException {
        Files.writeString(dir.resolve("plain"), "#!/bin/sh\n");
        JpmException e =
                assertThrows(JpmException.class, () -> parse("{\"script\":\"plain\",\"interpreter\":\"none\"}"));
        assertTrue(
                e.getMessage().contains("option 'script'") && e.getMessage().contains("is not executable"),
                e.getMessage());
    }

    // ---- script "serve": jpm's static file server ----

    @Test
    void scriptServeRunsTheStaticServerOnTheDaemonsJava() {
        AppConfig app =
                parse("{\"script\":\"serve\",\"interpreter_args\":\"-Xmx64m\",\"env\":{\"PM2_SERVE_PORT\":9000}}");
        assertEquals("serve", app.name(), "pm2 names it after the script too");
        assertEquals(StaticServer.class.getName(), app.script());
        assertEquals(
                List.of("-cp", System.getProperty("java.class.path")),
                app.interpreter().subList(1, 3));
        assertTrue(app.interpreter().get(0).endsWith("java"), app.interpreter().toString());
        assertEquals(ServeApp.JVM_FLAGS, app.interpreterArgs().subList(0, ServeApp.JVM_FLAGS.size()));
        assertEquals(
                "-Xmx64m",
                app.interpreterArgs().get(app.interpreterArgs().size() - 1),
                "the app's own flags come last and win");
        List<String> command = app.command();
        assertEquals("io.jpm.serve.StaticServer", command.get(command.size() - 1));
        assertEquals("serve", app.source().getString("script"), "a dump re-reads it as serve, on the java of that day");
    }

    @Test
    void scriptServeRefusesABadPortOrFolderAndAnInterpreter() {
        assertNames(
                fails("{\"name\":\"web\",\"script\":\"serve\",\"env\":{\"PM2_SERVE_PORT\":\"http\"}}"),
                "app 'web'",
                "env");
        assertTrue(fails("{\"name\":\"web\",\"script\":\"serve\",\"env\":{\"PM2_SERVE_PORT\":\"http\"}}")
                .getMessage()
                .endsWith("PM2_SERVE_PORT must be a port number from 1 to 65535, got 'http'"));
        assertTrue(fails("{\"name\":\"web\",\"script\":\"serve\",\"env\":{\"PM2_SERVE_PATH\":\"nowhere\"}}")
                .getMessage()
                .contains("PM2_SERVE_PATH 'nowhere' is not a folder"));
        assertNames(
                fails("{\"name\":\"web\",\"script\":\"serve\",\"interpreter\":\"node\"}"), "app 'web'", "interpreter");
    }
}
