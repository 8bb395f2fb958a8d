package io.jpm.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jpm a systemd unit runs: the link on PATH to the script called (the .deb's /usr/bin/jpm), real files. */
class UnitLauncherTest {
    @TempDir
    Path dir;

    private Path installed;
    private Path usrBin;

    @BeforeEach
    void anInstallWithALinkOnPath() throws IOException {
        installed = dir.resolve("usr/lib/jpm/bin/jpm");
        Files.createDirectories(installed.getParent());
        Files.writeString(installed, "#!/bin/sh\n");
        Files.setPosixFilePermissions(installed, PosixFilePermissions.fromString("rwxr-xr-x"));
        usrBin = dir.resolve("usr/bin");
        Files.createDirectories(usrBin);
        Files.createSymbolicLink(usrBin.resolve("jpm"), Path.of("../lib/jpm/bin/jpm"));
    }

    /** Called as /usr/lib/jpm/bin/jpm, or by a path an upgrade replaces: the unit still names /usr/bin/jpm. */
    @Test
    void theScriptCalledByItsOwnPathGivesTheLinkOnPath() {
        Path other = dir.resolve("elsewhere");
        String path = other + ":" + usrBin + ":/bin";
        assertEquals(usrBin.resolve("jpm"), UnitLauncher.onPath(installed, path));
    }

    @Test
    void calledThroughTheLinkItIsKept() {
        assertEquals(usrBin.resolve("jpm"), UnitLauncher.onPath(usrBin.resolve("jpm"), usrBin + ":/bin"));
    }

    /** A checkout or a tarball not linked on PATH: the path it was called by. */
    @Test
    void withoutALinkOnPathTheCalledPathStays() throws IOException {
        Path checkout = dir.resolve("src/jpm/bin/jpm");
        Files.createDirectories(checkout.getParent());
        Files.writeString(checkout, "#!/bin/sh\n");
        checkout.toFile().setExecutable(true);
        assertEquals(checkout, UnitLauncher.onPath(checkout, usrBin + "::relative:/bin"));
    }
}
