package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a script given without an interpreter is run: by its extension, else by its first bytes. */
class ScriptKindTest {
    @TempDir
    Path dir;

    private Path file(String name, byte[] content, boolean executable) throws IOException {
        Path file = Files.write(dir.resolve(name), content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        return file;
    }

    private Path file(String name, String text, boolean executable) throws IOException {
        return file(name, text.getBytes(StandardCharsets.UTF_8), executable);
    }

    @Test
    void aKnownExtensionDecides() throws IOException {
        assertEquals(List.of("node"), ScriptKind.interpreter(file("a.js", "#!/bin/bash\n", true)));
        assertEquals(List.of("python3"), ScriptKind.interpreter(file("a.py", "", false)));
        assertEquals(List.of("java", "-jar"), ScriptKind.interpreter(file("a.jar", "", false)));
    }

    @Test
    void aNodeShebangRunsWithNode() throws IOException {
        // npm, bin/www: node, so node_args (interpreter_args) reach node as under pm2
        assertEquals(
                List.of("node"), ScriptKind.interpreter(file("www", "#!/usr/bin/env node\nrequire('x');\n", true)));
        assertEquals(List.of("node"), ScriptKind.interpreter(file("npm", "#!/usr/bin/node\n", true)));
        assertEquals(
                List.of("node"),
                ScriptKind.interpreter(file("s", "#!/usr/bin/env -S node --max-old-space-size=64\n", false)));
    }

    @Test
    void textWithoutAShebangIsJavaScriptAsPm2ReadsIt() throws IOException {
        // a committed bin/www that lost its executable bit and its #! line
        assertEquals(List.of("node"), ScriptKind.interpreter(file("www", "var app = require('../app');\n", false)));
        assertEquals(List.of("node"), ScriptKind.interpreter(file("server.cmd", "console.log(1)\n", true)));
    }

    @Test
    void anotherShebangIsExecutedOrRunByItsProgram() throws IOException {
        // gunicorn, a shell script: pm2 would hand them to node; jpm lets their own interpreter run them
        assertEquals(List.of(), ScriptKind.interpreter(file("gunicorn", "#!/usr/bin/python3\nimport sys\n", true)));
        assertEquals(
                List.of("/bin/bash", "-e"), ScriptKind.interpreter(file("job", "#!/bin/bash -e\necho hi\n", false)));
    }

    @Test
    void nodeChosenByContentIsNamedAsPm2NamesIt() throws IOException {
        // pm2's table names only .js; for anything else it picks process.execPath, a full path
        assertEquals(
                List.of("/opt/node/bin/node"),
                ScriptKind.interpreter(file("www", "require('x');\n", false), () -> "/opt/node/bin/node"));
        assertEquals(
                List.of("/opt/node/bin/node"),
                ScriptKind.interpreter(file("app.mjs", "", false), () -> "/opt/node/bin/node"));
        assertEquals(List.of("node"), ScriptKind.interpreter(file("app.js", "", false), () -> "/opt/node/bin/node"));
    }

    @Test
    void aBinaryIsExecuted() throws IOException {
        assertEquals(
                List.of(),
                ScriptKind.interpreter(file("server", new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0}, true)));
    }
}
