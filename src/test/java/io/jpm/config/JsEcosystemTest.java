package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pm2's JavaScript ecosystem files, evaluated by the real node on PATH (CI installs it). */
class JsEcosystemTest {
    @TempDir
    Path dir;

    private Map<String, String> env;

    @BeforeEach
    void scripts() throws IOException {
        Files.writeString(dir.resolve("api.py"), "print(1)\n");
        env = new HashMap<>(Map.of("PATH", System.getenv("PATH"), "HOME", "/home/me"));
    }

    private List<AppConfig> read(String name, String js, String envName) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, js);
        return EcosystemFile.read(file, new ReadRequest(env, null, envName, List.of(), false));
    }

    @Test
    void aCommonJsFileIsEvaluatedWithTheCallersEnvInItsOwnFolder() throws IOException {
        env.put("API_PORT", "8081");
        List<AppConfig> apps = read(
                "ecosystem.config.js",
                String.join(
                        "\n",
                        "const path = require('path');",
                        "console.log('noise on stdout does not break the read');",
                        "module.exports = { apps: [{",
                        "  name: 'api-' + process.env.API_PORT, script: './api.py', cwd: process.cwd(),",
                        "  env: { PORT: process.env.API_PORT, DIR: __dirname }, env_production: { NODE_ENV: 'production' },",
                        "  restart: () => 1,", // functions are not JSON: dropped, as JSON.stringify does
                        "}] };"),
                "production");
        AppConfig api = apps.get(0);
        assertEquals("api-8081", api.name());
        assertEquals("8081", api.env().get("PORT"));
        assertEquals("production", api.env().get("NODE_ENV"));
        assertEquals(dir.toString(), api.env().get("DIR"));
        assertEquals(dir.toRealPath(), api.cwd().toRealPath());
        assertEquals(dir.resolve("ecosystem.config.js").toString(), api.origin().file());
    }

    @Test
    void aFileIsEvaluatedInTheFolderOfTheCommandThatNamedIt() throws IOException {
        // pm2 require()s the file in the CLI's process: process.cwd() is where the command was typed
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.createDirectories(project.resolve("config"));
        Files.writeString(project.resolve("api.py"), "print(1)\n");
        Path file = project.resolve("config/ecosystem.config.js");
        Files.writeString(
                file,
                "module.exports = { apps: [{ name: 'api', script: 'api.py', env: { WHERE: process.cwd() } }] };\n");
        AppConfig api = EcosystemFile.read(file, new ReadRequest(env, project, null, List.of(), false))
                .get(0);
        assertEquals(
                project.toRealPath().toString(),
                Path.of(api.env().get("WHERE")).toRealPath().toString());
        assertEquals(project.resolve("api.py").toString(), api.script());
    }

    @Test
    void aJsonFileThatIsAJavaScriptExpressionIsEvaluatedAsPm2Does() throws IOException {
        // pm2's parseConfig runs a .json file's text through vm.runInThisContext
        env.put("WORKERS", "3");
        List<AppConfig> apps = read(
                "apps.json",
                "{ apps: [{ name: 'e', script: 'api.py', instances: 1 + 1,"
                        + " env: { W: process.env.WORKERS || 'none', S: ['a', 'b'].join('-') } }] }\n",
                null);
        assertEquals(2, apps.get(0).instances());
        assertEquals("3", apps.get(0).env().get("W"));
        assertEquals("a-b", apps.get(0).env().get("S"));
        JpmException e = assertThrows(
                JpmException.class, () -> read("bad.json", "{ apps: [ { name: 'x' script: 'a' } ] }\n", null));
        assertTrue(
                e.getMessage().startsWith(dir.resolve("bad.json") + ":1:"),
                "the JSON reader's line and column: " + e.getMessage());
    }

    @Test
    void esModulesAndCjsFilesToo() throws IOException {
        assertEquals(
                "m",
                read("eco.config.mjs", "export default { apps: [{ name: 'm', script: 'api.py' }] };\n", null)
                        .get(0)
                        .name());
        assertEquals(
                "c",
                read("eco.config.cjs", "module.exports = { apps: [{ name: 'c', script: 'api.py' }] };\n", null)
                        .get(0)
                        .name());
    }

    @Test
    void aFileThatThrowsIsRefusedWithItsLine() {
        JpmException e = assertThrows(
                JpmException.class,
                () -> read("ecosystem.config.js", "const a = 1;\n\nthrow new Error('no database url');\n", null));
        assertEquals(JpmError.INVALID_CONFIG, e.error());
        assertTrue(
                e.getMessage().startsWith(dir.resolve("ecosystem.config.js") + ":3: Error: no database url"),
                e.getMessage());

        e = assertThrows(
                JpmException.class,
                () -> read(
                        "ecosystem.config.js",
                        "module.exports = {\n  apps: [\n    { name: 'x' script: 'a' }\n]};\n",
                        null));
        assertTrue(e.getMessage().startsWith(dir.resolve("ecosystem.config.js") + ":3: SyntaxError"), e.getMessage());
    }

    @Test
    void aFileThatExportsNoObjectIsRefused() {
        JpmException e =
                assertThrows(JpmException.class, () -> read("ecosystem.config.js", "module.exports = 42;\n", null));
        assertTrue(e.getMessage().contains("must export {apps: [ ... ]}"), e.getMessage());
    }

    @Test
    void withoutNodeOnPathTheErrorSaysSoAndSuggestsJsonOrYaml() {
        env.put("PATH", dir.resolve("nowhere").toString());
        JpmException e = assertThrows(
                JpmException.class, () -> read("ecosystem.config.js", "module.exports = {apps: []};\n", null));
        assertTrue(e.getMessage().contains("needs node"), e.getMessage());
        assertTrue(e.getMessage().contains("ecosystem.json or ecosystem.yaml"), e.getMessage());
    }

    @Test
    void aFileThatNeverFinishesLoadingIsGivenUpOn() {
        // a file whose top level awaits forever: node would wait, jpm gives up after its timeout
        JpmException e = assertThrows(
                JpmException.class,
                () -> read(
                        "eco.config.mjs",
                        "await new Promise(r => setInterval(() => {}, 1000));\nexport default {apps: []};\n",
                        null));
        assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
    }
}
