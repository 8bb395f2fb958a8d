package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ecosystem files: pm2's spellings, jpm's own options, and one test per kind of bad input. */
class EcosystemFileTest {
    private static final Map<String, String> CLIENT_ENV =
            Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/me", "SECRET_TOKEN", "x", "LC_ALL", "C");

    @TempDir
    Path dir;

    private Path file;

    @BeforeEach
    void scripts() throws IOException {
        Files.writeString(dir.resolve("api.py"), "print(1)\n");
        Files.writeString(dir.resolve("db.py"), "print(1)\n");
        file = dir.resolve("ecosystem.json");
    }

    private List<AppConfig> read(String json, String envName) throws IOException {
        Files.writeString(file, json);
        return EcosystemFile.read(file, new ReadRequest(CLIENT_ENV, null, envName, List.of(), false));
    }

    private JpmException fails(String json) {
        return assertThrows(JpmException.class, () -> read(json, null));
    }

    private void assertNames(JpmException e, String app, String option) {
        String m = e.getMessage();
        assertTrue(m.startsWith(file + ": "), m);
        assertTrue(m.contains("app '" + app + "'"), m);
        assertTrue(m.contains("option '" + option + "'"), m);
        assertEquals(JpmError.INVALID_CONFIG, e.error(), m);
    }

    @Test
    void camelCaseAndPm2AliasesReadAsSnakeCase() throws IOException {
        AppConfig app = read(
                        "{\"apps\":[{\"name\":\"api\",\"exec\":\"api.py\",\"killTimeout\":\"3s\",\"maxRestarts\":3,"
                                + "\"out\":\"o.log\",\"errFile\":\"e.log\",\"interpreterArgs\":\"-u\",\"stopExitCodes\":[3]}]}",
                        null)
                .get(0);
        assertEquals(3000, app.policy().killTimeoutMs());
        assertEquals(3, app.policy().maxRestarts());
        assertEquals(dir.resolve("o.log").toString(), app.outFile());
        assertEquals(dir.resolve("e.log").toString(), app.errorFile());
        assertEquals(List.of("-u"), app.interpreterArgs());
        assertEquals(file.toString(), app.origin().file());
    }

    @Test
    void anOptionGivenUnderTwoSpellingsKeepsTheCanonicalOne() throws IOException {
        AppConfig app = read(
                        "{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\",\"killTimeout\":2,\"kill_timeout\":1}]}",
                        null)
                .get(0);
        assertEquals(1, app.policy().killTimeoutMs());
        assertEquals(1, app.warnings().size(), app.warnings().toString());
        assertTrue(
                app.warnings().get(0).startsWith(file + ": app 'api': option 'kill_timeout' is given twice"),
                app.warnings().toString());
    }

    @Test
    void unknownOptionSuggestsTheClosestEvenInCamelCase() throws IOException {
        AppConfig app = read("{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\",\"killTimout\":1}]}", null)
                .get(0);
        assertEquals(
                List.of(
                        file
                                + ": app 'api': option 'killTimout' is not a known option: ignored; did you mean 'kill_timeout'?"),
                app.warnings());
    }

    @Test
    void strayKeysOfRealFilesOnlyWarn() throws IOException {
        // what pm2's own fixtures and users' files carry: pm2 runs them, dropping what it does not know
        List<AppConfig> apps = read(
                "{\"apps\":[{\"name\":\"a\",\"script\":\"api.py\",\"instance\":2,\"max\":3,"
                        + "\"options\":{\"x\":1},\"attach\":true},{\"name\":\"b\",\"cmd\":\"db.py\"}]}",
                null);
        assertEquals(List.of("a", "b"), apps.stream().map(AppConfig::name).toList());
        assertEquals(4, apps.get(0).warnings().size(), apps.get(0).warnings().toString());
        assertEquals(dir.resolve("db.py").toString(), apps.get(1).script());
        Files.writeString(file, Files.readString(file));
        JpmException strict = assertThrows(
                JpmException.class,
                () -> EcosystemFile.read(file, new ReadRequest(CLIENT_ENV, null, null, List.of(), true)));
        assertTrue(strict.getMessage().contains("option 'instance' is not a known option"), strict.getMessage());
    }

    @Test
    void relativeScriptAndCwdAreReadFromTheCommandsFolderAsPm2Does() throws IOException {
        // pm2's prepareAppConf: path.resolve(cwd || process.cwd(), script), cwd itself from process.cwd()
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.createDirectories(project.resolve("config"));
        Files.createDirectories(project.resolve("dist"));
        Files.createDirectories(project.resolve("services/worker"));
        Files.writeString(project.resolve("dist/app.py"), "print(1)\n");
        Files.writeString(project.resolve("services/worker/run.py"), "print(1)\n");
        Path eco = project.resolve("config/ecosystem.json");
        Files.writeString(
                eco,
                "{\"apps\":[{\"name\":\"web\",\"script\":\"./dist/app.py\"},"
                        + "{\"name\":\"worker\",\"script\":\"run.py\",\"cwd\":\"services/worker\"}]}");
        List<AppConfig> apps = EcosystemFile.read(eco, new ReadRequest(CLIENT_ENV, project, null, List.of(), false));
        assertEquals(project.resolve("dist/app.py").toString(), apps.get(0).script());
        assertEquals(project, apps.get(0).cwd());
        assertEquals(project.resolve("services/worker"), apps.get(1).cwd());
        assertEquals(
                project.resolve("services/worker/run.py").toString(),
                apps.get(1).script());
        assertEquals(project.toString(), apps.get(0).origin().commandCwd());
    }

    @Test
    void aScriptOnlyFoundFromTheFilesFolderIsRunFromThere() throws IOException {
        // pm2 would refuse it ("Script not found"): jpm finds it next to the file, and runs the app there
        Path conf = Files.createDirectories(dir.resolve("conf/apps"));
        Files.writeString(conf.resolve("tick.py"), "print(1)\n");
        Path eco = dir.resolve("conf/ecosystem.json");
        Files.writeString(eco, "{\"apps\":[{\"name\":\"tick\",\"script\":\"apps/tick.py\"}]}");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        AppConfig tick = EcosystemFile.read(eco, new ReadRequest(CLIENT_ENV, elsewhere, null, List.of(), false))
                .get(0);
        assertEquals(conf.resolve("tick.py").toString(), tick.script());
        assertEquals(dir.resolve("conf"), tick.cwd());
        JpmException missing = assertThrows(JpmException.class, () -> {
            Files.writeString(eco, "{\"apps\":[{\"name\":\"tick\",\"script\":\"apps/nope.py\"}]}");
            EcosystemFile.read(eco, new ReadRequest(CLIENT_ENV, elsewhere, null, List.of(), false));
        });
        assertEquals(JpmError.SCRIPT_NOT_FOUND, missing.error());
        assertTrue(
                missing.getMessage().contains("script not found: " + elsewhere.resolve("apps/nope.py")),
                missing.getMessage());
    }

    @Test
    void withAnEnvNameTheDeploySectionsEnvIsMergedBelowTheAppsOwn() throws IOException {
        List<AppConfig> apps = read(
                "{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\",\"env\":{\"A\":\"app\"},"
                        + "\"env_production\":{\"B\":\"prod\"}}],\"deploy\":{\"production\":{\"env\":{\"A\":\"deploy\",\"D\":\"deploy\","
                        + "\"B\":\"deploy\"}}}}",
                "production");
        Map<String, String> env = apps.get(0).env();
        assertEquals("app", env.get("A"));
        assertEquals("prod", env.get("B"));
        assertEquals("deploy", env.get("D"));
        assertFalse(read(Files.readString(file), null).get(0).env().containsKey("D"), "no --env, no deploy env");
    }

    @Test
    void aTildeInALogPathIsTheCallersHome() throws IOException {
        AppConfig app = read(
                        "{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\",\"out_file\":\"~/logs/api.out\","
                                + "\"error_file\":\"~/logs/api.err\",\"log_file\":\"~/logs/api.log\"}]}",
                        null)
                .get(0);
        assertEquals("/home/me/logs/api.out", app.outFile());
        assertEquals("/home/me/logs/api.err", app.errorFile());
        assertEquals("/home/me/logs/api.log", app.logs().logFile());
    }

    @Test
    void wrongTypeIsRefused() {
        assertNames(
                fails("{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\",\"autorestart\":\"yes\"}]}"),
                "api",
                "autorestart");
        assertNames(
                fails("{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\",\"depends_on\":7}]}"), "api", "depends_on");
    }

    @Test
    void badDurationIsRefused() {
        JpmException e = fails("{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\",\"minUptime\":\"3 parsecs\"}]}");
        assertNames(e, "api", "min_uptime");
    }

    @Test
    void duplicateNamesAreRefused() {
        JpmException e =
                fails("{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\"},{\"name\":\"api\",\"script\":\"db.py\"}]}");
        assertTrue(e.getMessage().contains(file + ": app name 'api' is used twice"), e.getMessage());
    }

    @Test
    void missingScriptIsRefused() {
        assertNames(fails("{\"apps\":[{\"name\":\"api\"}]}"), "api", "script");
    }

    @Test
    void malformedJsonNamesTheFileLineAndColumn() {
        JpmException e = fails("{\"apps\":[\n  {\"name\":\"api\", \"script\": api.py}]}");
        assertTrue(e.getMessage().startsWith(file + ":2:"), e.getMessage());
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        e = fails("{\"apps\":[{\"name\":\"api\",");
        assertTrue(e.getMessage().startsWith(file + ":1:"), e.getMessage());
        // an empty file (or one caught mid-write by hot reload) has a place too
        assertEquals(
                file + ":1:1: not valid JSON: the file is empty", fails(" \n").getMessage());
        assertTrue(!e.getMessage().contains("Source"), "no redacted source in a user's message: " + e.getMessage());
    }

    /** pm2 evaluates a JSON file as JavaScript: the files its users keep have comments and bare keys. */
    @Test
    void jsonIsReadAsPm2ReadsIt() throws IOException {
        List<AppConfig> apps = read(
                "// the api\n{\n  apps: [\n    { name: 'api', script: \"api.py\", /* inline */ instances: 2, },\n  ],\n}\n",
                null);
        assertEquals("api", apps.get(0).name());
        assertEquals(2, apps.get(0).instances());
    }

    /** pm2 takes {"apps":..}, {"pm2":..}, a bare array, or one app. */
    @Test
    void theAppsAreFoundWherePm2FindsThem() throws IOException {
        assertEquals(
                "api",
                read("{\"pm2\":[{\"name\":\"api\",\"script\":\"api.py\"}]}", null)
                        .get(0)
                        .name());
        assertEquals(
                "api",
                read("[{\"name\":\"api\",\"script\":\"api.py\"}]", null).get(0).name());
        assertEquals(
                "api",
                read("{\"name\":\"api\",\"script\":\"api.py\"}", null).get(0).name());
        assertTrue(fails("{\"services\":[]}").getMessage().contains("must hold"));
    }

    @Test
    void pm2sRuleForWhichNamesAreEcosystemFiles() {
        for (String name : List.of(
                "ecosystem.config.js",
                "app.config.cjs",
                "eco.config.mjs",
                "a.json",
                "x.yml",
                "x.yaml",
                "apps.json.prod")) {
            assertTrue(EcosystemFile.isEcosystemFile(name), name);
        }
        for (String name : List.of("server.js", "worker.py", "api", "3", "config.js", "ecosystem.js")) {
            assertFalse(EcosystemFile.isEcosystemFile(name), name);
        }
    }

    @Test
    void dependsOnOrdersTheStartAndKeepsTheFileOrderOtherwise() throws IOException {
        List<AppConfig> apps = read(
                "{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\",\"depends_on\":[\"db\"]},"
                        + "{\"name\":\"other\",\"script\":\"api.py\"},{\"name\":\"db\",\"script\":\"db.py\"}]}",
                null);
        assertEquals(
                List.of("db", "api", "other"),
                apps.stream().map(AppConfig::name).toList());
        assertEquals(List.of("db"), apps.get(1).origin().dependsOn());
    }

    @Test
    void dependsOnAnUnknownAppIsRefused() {
        JpmException e = fails("{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\",\"dependsOn\":\"cache\"}]}");
        assertNames(e, "api", "depends_on");
        assertTrue(e.getMessage().contains("'cache'"), e.getMessage());
    }

    @Test
    void dependsOnCycleIsRefused() {
        JpmException e = fails("{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\",\"depends_on\":\"db\"},"
                + "{\"name\":\"db\",\"script\":\"db.py\",\"depends_on\":[\"api\"]}]}");
        assertNames(e, "api", "depends_on");
        assertTrue(e.getMessage().contains("api -> db -> api"), e.getMessage());
    }

    @Test
    void appendEnvToNameOnlyWithAnEnv() throws IOException {
        String json =
                "{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\",\"append_env_to_name\":true,\"env_production\":{\"A\":\"p\"}}]}";
        assertEquals("api", read(json, null).get(0).name());
        AppConfig production = read(json, "production").get(0);
        assertEquals("api-production", production.name());
        assertEquals("p", production.env().get("A"));
        // re-reading what a dump saves gives the same name, not api-production-production
        AppConfig again = new AppConfigParser("dump", dir, CLIENT_ENV).parse(production.source(), "production");
        assertEquals("api-production", again.name());
    }

    @Test
    void namePrefixIsPm2sPrefixColonNameAndNeverDoubled() throws IOException {
        String json =
                "{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\",\"namePrefix\":\"shop\",\"append_env_to_name\":true},"
                        + "{\"name\":\"shop-db\",\"script\":\"db.py\",\"name_prefix\":\"shop\"}]}";
        List<AppConfig> apps = read(json, "production");
        assertEquals("shop:api-production", apps.get(0).name());
        assertEquals("shop-db", apps.get(1).name(), "a name that already holds the prefix keeps it once");
        AppConfig again =
                new AppConfigParser("dump", dir, CLIENT_ENV).parse(apps.get(0).source(), "production");
        assertEquals("shop:api-production", again.name());
        assertNames(
                fails("{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\",\"name_prefix\":3}]}"), "api", "name_prefix");
    }

    @Test
    void filterEnvDropsTheClientEnvironment() throws IOException {
        AppConfig all = read(
                        "{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\",\"filter_env\":true,\"env\":{\"MINE\":\"1\"}}]}",
                        null)
                .get(0);
        assertFalse(all.env().containsKey("SECRET_TOKEN"));
        assertEquals("/usr/bin:/bin", all.env().get("PATH"));
        assertEquals("C", all.env().get("LC_ALL"));
        assertEquals("1", all.env().get("MINE"));
        AppConfig prefix = read(
                        "{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\",\"filterEnv\":[\"SECRET_\"]}]}", null)
                .get(0);
        assertFalse(prefix.env().containsKey("SECRET_TOKEN"));
        assertEquals("/home/me", prefix.env().get("HOME"));
    }

    @Test
    void nodeOnlyOptionsAreAcceptedAndListedAsPm2ListsThem() throws IOException {
        AppConfig app = read(
                        "{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\",\"vizion\":false,\"source_map_support\":true,\"pmx\":false}]}",
                        null)
                .get(0);
        assertEquals(List.of(), app.warnings());
        JsonObject listed = AppConfigParser.pm2OnlyOptions(app.source());
        assertEquals(false, listed.getValue("vizion"));
        assertEquals(true, listed.getValue("source_map_support"));
        assertEquals(true, listed.getValue("automation"), "pm2's schema default, listed whether given or not");
        assertEquals(100, listed.getValue("kill_retry_time"));
    }

    @Test
    void pmxIsFalseOnlyForFalseAsPm2ReadsItAndListedAsGiven() throws IOException {
        for (Object given : List.of(false, "false")) {
            AppConfig app = read(
                            new JsonObject()
                                    .put(
                                            "apps",
                                            new JsonArray()
                                                    .add(new JsonObject()
                                                            .put("script", "api.py")
                                                            .put("pmx", given)))
                                    .encode(),
                            null)
                    .get(0);
            assertFalse(app.ecosystem().pmx(), String.valueOf(given));
            assertEquals(given, AppConfigParser.pm2OnlyOptions(app.source()).getValue("pmx"));
        }
        for (Object given : List.of(true, "true", "yes")) {
            AppConfig app = read(
                            new JsonObject()
                                    .put(
                                            "apps",
                                            new JsonArray()
                                                    .add(new JsonObject()
                                                            .put("script", "api.py")
                                                            .put("pmx", given)))
                                    .encode(),
                            null)
                    .get(0);
            assertTrue(app.ecosystem().pmx(), String.valueOf(given));
        }
        AppConfig unset = read("{\"apps\":[{\"script\":\"api.py\"}]}", null).get(0);
        assertTrue(unset.ecosystem().pmx());
        assertEquals(true, AppConfigParser.pm2OnlyOptions(unset.source()).getValue("pmx"), "pm2's schema default");
    }

    /** pm2's Common.verifyConfs: automation false sets pmx false, and pm2_env lists both false. */
    @Test
    void automationFalseIsPmxFalseAsPm2MakesIt() throws IOException {
        for (Object given : List.of(false, "false")) {
            AppConfig app = read(
                            new JsonObject()
                                    .put(
                                            "apps",
                                            new JsonArray()
                                                    .add(new JsonObject()
                                                            .put("script", "api.py")
                                                            .put("automation", given)))
                                    .encode(),
                            null)
                    .get(0);
            assertFalse(app.ecosystem().pmx(), String.valueOf(given));
            JsonObject listed = AppConfigParser.pm2OnlyOptions(app.source());
            assertEquals(false, listed.getValue("pmx"), String.valueOf(given));
            assertEquals(given, listed.getValue("automation"));
        }
        AppConfig on = read("{\"apps\":[{\"script\":\"api.py\",\"automation\":true}]}", null)
                .get(0);
        assertTrue(on.ecosystem().pmx());
        assertEquals(List.of(), on.warnings());
    }

    @Test
    void pm2sReadinessOptionsAreReadInCamelCaseToo() throws IOException {
        AppConfig app = read(
                        "{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\",\"waitReady\":true,\"shutdownWithMessage\":true,"
                                + "\"watchOptions\":{\"usePolling\":true}}]}",
                        null)
                .get(0);
        assertTrue(app.ecosystem().waitReady() && app.ecosystem().shutdownWithMessage());
        assertTrue(app.watchdog().watchOptions().usePolling());
    }

    @Test
    void pm2sStaticSectionBecomesServeApps() throws IOException {
        Files.createDirectories(dir.resolve("public"));
        List<AppConfig> apps = read(
                "{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\"}],"
                        + "\"static\":[{\"path\":\"public\",\"port\":9001,\"spa\":true,\"basic_auth\":{\"username\":\"u\",\"password\":\"p\"}}]}",
                null);
        assertEquals(
                List.of("api", "static-page-server-9001"),
                apps.stream().map(AppConfig::name).toList());
        AppConfig serve = apps.get(1);
        assertEquals(dir.resolve("public").toString(), serve.env().get("PM2_SERVE_PATH"));
        assertEquals("9001", serve.env().get("PM2_SERVE_PORT"));
        assertEquals("true", serve.env().get("PM2_SERVE_SPA"));
        assertEquals("u", serve.env().get("PM2_SERVE_BASIC_AUTH_USERNAME"));
        assertTrue(
                serve.command().contains("io.jpm.serve.StaticServer"),
                serve.command().toString());
        assertTrue(serve.command().get(0).endsWith("/bin/java"), serve.command().toString());
        fails("{\"static\":[3]}");
    }

    @Test
    void camelCaseWatchdogOptionsAreRead() throws IOException {
        AppConfig app = read(
                        "{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\",\"cronRestart\":\"0 3 * * *\","
                                + "\"maxMemoryRestart\":\"1G\",\"ignoreWatch\":[\"tmp\"],\"watch\":true}]}",
                        null)
                .get(0);
        assertEquals("0 3 * * *", app.watchdog().cronRestart());
        assertEquals(1024L * 1024 * 1024, app.watchdog().maxMemoryBytes());
        assertEquals(List.of("tmp"), app.watchdog().ignoreWatch());
    }

    @Test
    void onlyKeepsTheNamedAppsAndRefusesUnknownNames() throws IOException {
        Files.writeString(
                file, "{\"apps\":[{\"name\":\"api\",\"script\":\"api.py\"},{\"name\":\"db\",\"script\":\"db.py\"}]}");
        assertEquals(
                List.of("db"),
                EcosystemFile.read(file, new ReadRequest(CLIENT_ENV, null, null, List.of("db"), false)).stream()
                        .map(AppConfig::name)
                        .toList());
        JpmException e = assertThrows(
                JpmException.class,
                () -> EcosystemFile.read(file, new ReadRequest(CLIENT_ENV, null, null, List.of("nope"), false)));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    }

    @Test
    void yamlFilesReadLikeJsonOnes() throws IOException {
        Path yaml = dir.resolve("ecosystem.yml");
        Files.writeString(
                yaml,
                "apps:\n  - name: api\n    script: api.py\n    killTimeout: 3s\n    env:\n      PORT: 3000\n"
                        + "    env_production:\n      PORT: 80\n    dependsOn: [db]\n  - name: db\n    script: db.py\n");
        List<AppConfig> apps =
                EcosystemFile.read(yaml, new ReadRequest(CLIENT_ENV, null, "production", List.of(), false));
        assertEquals(List.of("db", "api"), apps.stream().map(AppConfig::name).toList());
        assertEquals(3000, apps.get(1).policy().killTimeoutMs());
        assertEquals("80", apps.get(1).env().get("PORT"));
        assertTrue(EcosystemFile.isEcosystemFile("ecosystem.yaml"));

        Files.writeString(yaml, "apps:\n  - name: api\n   script: [\n");
        JpmException e = assertThrows(
                JpmException.class,
                () -> EcosystemFile.read(yaml, new ReadRequest(CLIENT_ENV, null, null, List.of(), false)));
        assertTrue(e.getMessage().startsWith(yaml + ": not valid YAML"), e.getMessage());
        Files.writeString(yaml, "apps:\n  - name: api\n    script: api.py\n    maxRestarts: lots\n");
        e = assertThrows(
                JpmException.class,
                () -> EcosystemFile.read(yaml, new ReadRequest(CLIENT_ENV, null, null, List.of(), false)));
        assertTrue(e.getMessage().contains(yaml + ": app 'api': option 'max_restarts'"), e.getMessage());
    }

    @Test
    void snakeCaseOfCamelCase() {
        assertEquals("exp_backoff_restart_delay", OptionNames.snake("expBackoffRestartDelay"));
        assertEquals("kill_timeout", OptionNames.canonical("killTimeout", KnownOptions.SUPPORTED));
        assertEquals("interpreter_args", OptionNames.canonical("nodeArgs", KnownOptions.SUPPORTED));
    }

    @Test
    void aCommandsDefaultsGoToTheAppsThatLeaveThemUnsetAsPm2sStartWatchDoes() throws IOException {
        Files.writeString(
                file,
                "{\"apps\":[{\"name\":\"plain\",\"script\":\"api.py\"},"
                        + "{\"name\":\"off\",\"script\":\"api.py\",\"watch\":false},"
                        + "{\"name\":\"own\",\"script\":\"db.py\",\"watch\":[\"lib\"],\"ignoreWatch\":[\"lib/tmp\"]}]}");
        List<AppConfig> apps = EcosystemFile.read(
                file,
                new ReadRequest(
                        CLIENT_ENV,
                        null,
                        null,
                        List.of(),
                        false,
                        Map.of("watch", true, "ignore_watch", List.of("logs", "node_modules"))));

        assertTrue(apps.get(0).watchdog().watch());
        assertEquals(List.of(dir.toString()), apps.get(0).watchdog().watchPaths());
        assertEquals(List.of("logs", "node_modules"), apps.get(0).watchdog().ignoreWatch());
        assertTrue(apps.get(1).watchdog().watch(), "watch: false is pm2's falsy: the command's watch wins");
        assertEquals(
                List.of(dir.resolve("lib").toString()), apps.get(2).watchdog().watchPaths());
        assertEquals(
                List.of("lib/tmp"),
                apps.get(2).watchdog().ignoreWatch(),
                "the app's own, under its camelCase spelling");
        assertTrue(apps.get(2).warnings().isEmpty(), apps.get(2).warnings().toString());
    }
}
