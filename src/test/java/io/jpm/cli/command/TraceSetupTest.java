package io.jpm.cli.command;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.cli.Args;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which starts with --trace install the OpenTelemetry packages first: those node may run, not the others. */
class TraceSetupTest {
    private static boolean mayBeNode(String... words) {
        Args args = StartCommand.SYNTAX.parse(List.of(words));
        return TraceSetup.mayBeNode(args, args.positionals.get(0));
    }

    @Test
    void aScriptNodeMayRunInstallsAndAnotherLanguageDoesNot() {
        assertTrue(mayBeNode("server.js", "--trace"));
        assertTrue(mayBeNode("bin/www", "--trace")); // no extension: pm2 runs text with node
        assertTrue(mayBeNode("ecosystem.config.js", "--trace"));
        assertTrue(mayBeNode("app.ts", "--trace", "--interpreter", "/usr/local/bin/node"));
        assertFalse(mayBeNode("api.py", "--trace"));
        assertFalse(mayBeNode("run.sh", "--trace"));
        assertFalse(mayBeNode("server.js", "--trace", "--interpreter", "bun"));
        assertFalse(mayBeNode("./worker", "--trace", "-x"));
    }
}
