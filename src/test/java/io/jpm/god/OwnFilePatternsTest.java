package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.config.IgnorePatterns;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What jpm writes for an app is left out of its watch, and nothing else is. */
class OwnFilePatternsTest {
    private final Path root = Path.of("/srv/app");
    private final IgnorePatterns own = new IgnorePatterns(SatanLink.ownFilePatterns(
            Stream.of("/srv/app/logs/out.log", "/srv/app/logs/err.log", null, "/dev/null", "/srv/app/app.pid")));

    @Test
    void theLogsTheirRotatedCopiesAndTheFolderJpmMakesForThemAreLeftOut() {
        for (String f : new String[] {
            "/srv/app/logs/out.log",
            "/srv/app/logs/err.log",
            "/srv/app/logs/out.log.1",
            "/srv/app/logs/out.log.12.gz",
            "/srv/app/logs/out.log.1.gz.tmp",
            "/srv/app/logs",
            "/srv/app/app.pid"
        }) {
            assertTrue(own.ignores(Path.of(f), root), f);
        }
    }

    @Test
    void everythingElseStillCounts() {
        for (String f : new String[] {
            "/srv/app/logs/other.txt",
            "/srv/app/logs/out.log.bak",
            "/srv/app/logs/out.logx",
            "/srv/app/server.js",
            "/srv/app/config.json",
            "/srv/app/logs/sub/out.log"
        }) {
            assertFalse(own.ignores(Path.of(f), root), f);
        }
    }
}
