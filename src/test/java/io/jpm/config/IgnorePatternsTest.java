package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class IgnorePatternsTest {
    private static final Path ROOT = Path.of("/srv/app");

    private static boolean ignores(List<String> patterns, String relative) {
        return new IgnorePatterns(patterns).ignores(ROOT.resolve(relative), ROOT);
    }

    @Test
    void pm2DefaultIgnoresDotFilesAndNodeModules() {
        assertTrue(ignores(WatchdogOptions.DEFAULT_IGNORE, ".git/index"));
        assertTrue(ignores(WatchdogOptions.DEFAULT_IGNORE, "src/.server.js.swp"));
        assertTrue(ignores(WatchdogOptions.DEFAULT_IGNORE, "node_modules/x/index.js"));
        assertFalse(ignores(WatchdogOptions.DEFAULT_IGNORE, "src/server.js"));
    }

    @Test
    void aNameIgnoresThatFileOrFolderAnywhere() {
        assertTrue(ignores(List.of("logs"), "logs"));
        assertTrue(ignores(List.of("logs"), "a/logs/out.txt"));
        assertFalse(ignores(List.of("logs"), "a/logsx/out.txt"));
        assertTrue(ignores(List.of("tmp/cache"), "tmp/cache/x"));
    }

    @Test
    void globs() {
        assertTrue(ignores(List.of("*.log"), "out.log"));
        assertTrue(ignores(List.of("*.log"), "deep/down/out.log"));
        assertFalse(ignores(List.of("*.log"), "out.txt"));
        assertTrue(ignores(List.of("build/**"), "build/a/b.class"));
    }

    @Test
    void regularExpressions() {
        assertTrue(ignores(List.of("\\.tmp$"), "a/b.tmp"));
        assertFalse(ignores(List.of("\\.tmp$"), "a/b.tmpl"));
        assertTrue(ignores(List.of("^/srv/app/cache"), "cache/x"));
    }
}
