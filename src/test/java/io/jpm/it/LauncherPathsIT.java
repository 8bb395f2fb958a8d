package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/jpm finds its install (the folder above bin/) however it is called: from PATH or a link to it
 * (an absolute plain path, cut by string), by a relative path, through "..", through a relative link.
 * A wrong root would not find target/jpm.jar and would try to build jpm elsewhere: each way must
 * print the version the jar prints, and nothing about a build.
 */
class LauncherPathsIT {
    private static final Path LAUNCHER = Path.of("bin", "jpm").toAbsolutePath();
    private static final Path PROJECT = LAUNCHER.getParent().getParent();

    @TempDir
    Path dir;

    @Test
    void theLauncherFindsItsInstallFromEveryKindOfPath() throws Exception {
        String version = version(PROJECT, LAUNCHER.toString());
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), version);

        assertEquals(version, version(PROJECT, "bin/jpm"), "relative");
        assertEquals(version, version(PROJECT.resolve("bin"), "./jpm"), "relative from bin/");
        assertEquals(version, version(dir, PROJECT.resolve("bin/../bin/jpm").toString()), "through ..");
        assertEquals(version, version(dir, PROJECT + "/./bin/jpm"), "through .");

        Path spaced = Files.createDirectories(dir.resolve("with space/bin"));
        Path absoluteLink = Files.createSymbolicLink(spaced.resolve("jpm"), LAUNCHER);
        assertEquals(version, version(dir, absoluteLink.toString()), "an absolute link");
        Path relativeLink = Files.createSymbolicLink(dir.resolve("jpm"), dir.relativize(LAUNCHER));
        assertEquals(version, version(dir, relativeLink.toString()), "a relative link");
    }

    /** What {@code <launcher> --version} prints, run from {@code cwd}; fails on any other outcome. */
    private static String version(Path cwd, String launcher) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(launcher, "--version")
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!ended) {
            process.destroyForcibly();
        }
        assertTrue(ended, launcher + " did not end within 60 s: " + out);
        assertEquals(0, process.exitValue(), launcher + " from " + cwd + ": " + out);
        return out;
    }
}
