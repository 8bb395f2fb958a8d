package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** autostart, disable_logs, pid_file, namespace, treekill, force, uid/gid. */
class EcosystemOptionsParserTest {
    @TempDir
    Path dir;

    private ApiApp api;
    private Path passwd;
    private Path group;

    @BeforeEach
    void files() throws IOException {
        Files.createDirectories(dir.resolve("app"));
        api = new ApiApp(dir, "server.js", Map.of("PATH", "/usr/bin:/bin", "HOME", "/root"));
        passwd = Files.writeString(
                dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\nweb:x:1001:1002:Web:/home/web:/bin/sh\n");
        group = Files.writeString(dir.resolve("group"), "root:x:0:\nweb:x:1002:\nstaff:x:50:web\n");
    }

    private AppConfig app(String options) {
        return api.read(options);
    }

    private EcosystemOptions parse(String options) {
        return app(options).ecosystem();
    }

    private EcosystemOptions runAs(String options, boolean root) {
        return new EcosystemOptionsParser(api.parser.read, passwd, group, root)
                .parse(api.json(options), "app 'api'", dir, Map.of());
    }

    @Test
    void pm2Defaults() {
        EcosystemOptions o = parse("");
        assertTrue(o.autostart());
        assertFalse(o.disableLogs());
        assertNull(o.pidFile());
        assertEquals("default", o.namespace());
        assertTrue(o.treekill());
        assertFalse(o.force());
        assertNull(o.runAs());
    }

    @Test
    void booleansAreRead() {
        EcosystemOptions o = parse(",\"autostart\":false,\"treekill\":false,\"force\":true,\"disable_logs\":true");
        assertFalse(o.autostart());
        assertFalse(o.treekill());
        assertTrue(o.force());
        assertTrue(o.disableLogs());
    }

    @Test
    void camelCaseSpellingsAreRead() {
        EcosystemOptions o = parse(",\"disableLogs\":true,\"pidFile\":\"run/api.pid\"");
        assertTrue(o.disableLogs());
        assertEquals(dir.resolve("run/api.pid").toString(), o.pidFile());
    }

    @Test
    void wrongTypesAreRefused() {
        api.refuses(",\"autostart\":\"no\"", "autostart", "must be true or false");
        api.refuses(",\"treekill\":1", "treekill", "must be true or false");
        api.refuses(",\"force\":[]", "force", "must be true or false");
        api.refuses(",\"disable_logs\":{}", "disable_logs", "must be true or false");
        api.refuses(",\"pid_file\":3", "pid_file", "must be a string");
        api.refuses(",\"pid_file\":\" \"", "pid_file", "must be a path");
        api.refuses(",\"namespace\":false", "namespace", "must be a string");
    }

    @Test
    void disableLogsSendsEveryStreamToDevNull() {
        AppConfig app = app(",\"disable_logs\":true,\"out_file\":\"o.log\",\"log_file\":\"all.log\"");
        assertEquals(LogPaths.DEV_NULL, app.outFile());
        assertEquals(LogPaths.DEV_NULL, app.errorFile());
        assertNull(app.logs().logFile());
    }

    @Test
    void pidFileIsRelativeToCwd() {
        assertEquals(
                dir.resolve("app/run/x.pid").toString(),
                api.parser
                        .parse(
                                new JsonObject(
                                        "{\"name\":\"api\",\"script\":\"../server.js\",\"cwd\":\"app\",\"pid_file\":\"run/x.pid\"}"),
                                null)
                        .ecosystem()
                        .pidFile());
        assertEquals("/var/run/x.pid", parse(",\"pid_file\":\"/var/run/x.pid\"").pidFile());
    }

    /** pm2 resolves ~ with the HOME of whoever asked (checked: pm2 7.0.4, HOME=/tmp/h gives /tmp/h/p-0.pid). */
    @Test
    void pidFileTildeIsTheCallersHome() {
        JsonObject app = new JsonObject("{\"name\":\"api\",\"script\":\"server.js\",\"pid_file\":\"~/run/p.pid\"}");
        EcosystemOptions o = new EcosystemOptionsParser(api.parser.read, passwd, group, false)
                .parse(app, "app 'api'", dir, Map.of("HOME", "/home/caller"));
        assertEquals("/home/caller/run/p.pid", o.pidFile());
    }

    @Test
    void pidFileGetsThePmIdAsPm2Does() {
        assertEquals("/run/api-3.pid", EcosystemOptions.pidFileFor("/run/api.pid", 3));
        assertEquals("/run/api-3.pid", EcosystemOptions.pidFileFor("/run/api-0.pid", 3));
        assertEquals("/run/api.txt", EcosystemOptions.pidFileFor("/run/api.txt", 3));
    }

    @Test
    void namespaceIsANameThatCannotBeConfusedWithATarget() {
        assertEquals("backend", parse(",\"namespace\":\"backend\"").namespace());
        api.refuses(",\"namespace\":\"\"", "namespace", "must be a name");
        api.refuses(",\"namespace\":\"all\"", "namespace", "must be a name");
        api.refuses(",\"namespace\":\"12\"", "namespace", "must be a name");
        api.refuses(",\"namespace\":\"a/b\"", "namespace", "must be a name");
    }

    @Test
    void uidByNameOrNumberWithTheUsersPrimaryGroup() {
        EcosystemOptions.RunAs byName = runAs(",\"uid\":\"web\"", true).runAs();
        assertEquals(new EcosystemOptions.RunAs("web", 1001, 1002, "/home/web"), byName);
        assertEquals(byName, runAs(",\"uid\":1001", true).runAs());
    }

    @Test
    void gidPicksTheGroup() {
        assertEquals(
                50, runAs(",\"uid\":\"web\",\"gid\":\"staff\"", true).runAs().gid());
        assertEquals(50, runAs(",\"uid\":\"web\",\"gid\":50", true).runAs().gid());
        EcosystemOptions.RunAs groupOnly = runAs(",\"gid\":\"staff\"", true).runAs();
        assertEquals(0, groupOnly.uid());
        assertEquals(50, groupOnly.gid());
    }

    @Test
    void uidNeedsARootDaemon() {
        JpmException e = assertThrows(JpmException.class, () -> runAs(",\"uid\":\"web\"", false));
        assertTrue(e.getMessage().contains("option 'uid' needs the daemon to run as root"), e.getMessage());
        e = assertThrows(JpmException.class, () -> runAs(",\"gid\":\"web\"", false));
        assertTrue(e.getMessage().contains("option 'gid' needs the daemon to run as root"), e.getMessage());
    }

    @Test
    void unknownUserOrGroupIsRefused() {
        JpmException e = assertThrows(JpmException.class, () -> runAs(",\"uid\":\"ghost\"", true));
        assertTrue(
                e.getMessage().contains("option 'uid' names no user of " + passwd + ": User ghost cannot be found"),
                e.getMessage());
        e = assertThrows(JpmException.class, () -> runAs(",\"uid\":\"web\",\"gid\":\"ghosts\"", true));
        assertTrue(e.getMessage().contains("option 'gid' names no group of " + group + ": ghosts"), e.getMessage());
        e = assertThrows(JpmException.class, () -> runAs(",\"uid\":true", true));
        assertTrue(e.getMessage().contains("option 'uid' must be a name or a numeric id"), e.getMessage());
    }

    @Test
    void runAsLaunchesUnderSetprivAndSetsHome() {
        // the tests run as root here; elsewhere the real parser refuses uid, which is tested above
        Assumptions.assumeTrue(System.getProperty("user.name").equals("root"));
        AppConfig app = app(",\"uid\":\"root\"");
        List<String> expected = new ArrayList<>(List.of("setpriv", "--reuid=0", "--regid=0", "--init-groups", "--"));
        expected.addAll(app.command());
        assertEquals(expected, app.launchCommand());
        assertEquals("/root", app.env().get("HOME"));
    }

    @Test
    void withoutUidTheCommandIsUnchanged() {
        AppConfig app = app("");
        assertEquals(app.command(), app.launchCommand());
    }

    @Test
    void waitReadyAndShutdownWithMessageAreTypeChecked() {
        assertTrue(parse(",\"wait_ready\":true").waitReady());
        assertTrue(parse(",\"shutdown_with_message\":true").shutdownWithMessage());
        assertFalse(parse("").waitReady());
        api.refuses(",\"wait_ready\":\"yes\"", "wait_ready", "");
        api.refuses(",\"shutdown_with_message\":1", "shutdown_with_message", "");
    }
}
