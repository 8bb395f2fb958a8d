package io.jpm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Why a daemon runs without a keeper, told apart: a user's JPM_KEEPER=0 is a choice ({@code jpm ping}
 * says it), a PATH without perl (Alpine, distroless) is not ({@code jpm ls} says it too).
 */
class WithoutKeeperTest {
    @TempDir
    Path dir;

    @Test
    void jpmKeeperZeroIsTheUsersChoice() {
        assertEquals(
                "no keeper (JPM_KEEPER=0)", DaemonKeeper.withoutKeeper(Map.of("JPM_KEEPER", "0", "PATH", "/usr/bin")));
    }

    @Test
    void aPathWithoutPerlSaysSo() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        assertEquals("no keeper (no perl on PATH)", DaemonKeeper.withoutKeeper(Map.of("PATH", bin.toString())));
        assertEquals("no keeper (no perl on PATH)", DaemonKeeper.withoutKeeper(Map.of()));
    }

    @Test
    void withPerlThereTheClientStartedItAloneOnPurpose() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path perl = Files.createFile(
                bin.resolve("perl"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertEquals(true, Files.isExecutable(perl));
        assertEquals("no keeper (started without one)", DaemonKeeper.withoutKeeper(Map.of("PATH", bin.toString())));
    }
}
