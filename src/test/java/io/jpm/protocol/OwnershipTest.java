package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust rules on real files. Another user is played by passing a uid that is not the files'
 * owner (the tests run as root, whose files are uid 0), so no chown is needed here; the ITs chown.
 */
class OwnershipTest {
    private static final int ME = Ownership.currentUid();
    private static final int SOMEONE = 65534;

    @TempDir
    Path tmp;

    private Path folder(String name, String mode) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve(name));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        return dir;
    }

    @Test
    void theCurrentUidIsTheOwnerOfWhatThisProcessCreates() throws IOException {
        assertEquals(Ownership.lstat(Files.createFile(tmp.resolve("mine"))).uid(), ME);
    }

    @Test
    void aFolderOfOursClosedToOthersIsTrusted() throws IOException {
        assertNull(Ownership.folderProblem("JPM_HOME", folder("home", "rwx------"), ME));
        assertNull(Ownership.folderProblem("JPM_HOME", folder("readable", "rwxr-xr-x"), ME));
        assertNull(Ownership.folderProblem("JPM_HOME", tmp.resolve("missing"), ME));
    }

    @Test
    void aFolderOfAnotherUserIsRefusedWithBothUids() throws IOException {
        Path home = folder("home", "rwx------");
        assertEquals(
                "JPM_HOME " + home + " is owned by uid " + ME + ", not by you (uid " + SOMEONE
                        + "): remove it or choose another JPM_HOME",
                Ownership.folderProblem("JPM_HOME", home, SOMEONE));
    }

    @Test
    void aFolderOthersMayWriteIsRefusedWithItsMode() throws IOException {
        for (String mode : new String[] {"rwxrwx---", "rwx---rwx", "rwxrwxrwx"}) {
            Path home = folder("home-" + mode, mode);
            String problem = Ownership.folderProblem("JPM_HOME", home, ME);
            assertTrue(
                    problem != null
                            && problem.contains("writable by its group or others")
                            && problem.contains("chmod 700 " + home),
                    mode + ": " + problem);
        }
    }

    @Test
    void aSymbolicLinkIsRefusedEvenToAFolderOfOurs() throws IOException {
        Path real = folder("real", "rwx------");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        String problem = Ownership.folderProblem("JPM_HOME", link, ME);
        assertTrue(problem != null && problem.contains("is a symbolic link (to " + real + ")"), problem);
    }

    @Test
    void aHomeFileMustBeOurOwnRegularFile() throws IOException {
        Path token = Files.writeString(tmp.resolve("token"), "abc\n");
        assertNull(Ownership.homeFileProblem(token, ME));
        assertTrue(Ownership.homeFileProblem(token, SOMEONE).contains("is owned by uid " + ME));
        Path link = Files.createSymbolicLink(tmp.resolve("token.readonly"), token);
        assertTrue(Ownership.homeFileProblem(link, ME).contains("is a symbolic link"));
        assertTrue(
                Ownership.homeFileProblem(Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("nothing")), ME)
                        .contains("is a symbolic link"));
    }

    @Test
    void hotReloadTrustsAFileOnlyItsOwnerMayWriteInFoldersOnlyTheirOwnersMayWrite() throws IOException {
        Path dir = folder("project", "rwxr-xr-x");
        Path file = Files.writeString(dir.resolve("ecosystem.json"), "{}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertNull(Ownership.strictModesProblem(file, ME));
        // root's file is trusted by any user's daemon, as sshd trusts it
        assertNull(Ownership.strictModesProblem(file, SOMEONE));

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertTrue(Ownership.strictModesProblem(file, ME)
                .startsWith(file + " is writable by its group or others (mode 0666)"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(Ownership.strictModesProblem(file, ME)
                .startsWith("the folder " + dir + " above " + file + " is writable"));
        // a sticky folder (such as /tmp): others may write in it but not replace our file
        Files.setAttribute(dir, "unix:mode", 01777);
        assertNull(Ownership.strictModesProblem(file, ME));
    }

    @Test
    void hotReloadJudgesWhereALinkLeads() throws IOException {
        Path target = Files.writeString(tmp.resolve("real.json"), "{}");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path link = Files.createSymbolicLink(tmp.resolve("ecosystem.json"), target);
        assertTrue(Ownership.strictModesProblem(link, ME).startsWith(link + " (" + target + ") is writable"));
    }

    @Test
    void privateFilesNeverWriteThroughALink() throws IOException {
        Path victim = Files.writeString(tmp.resolve("victim"), "untouched");
        Path link = Files.createSymbolicLink(tmp.resolve("daemon.log"), victim);
        assertThrows(IOException.class, () -> PrivateFiles.openAppend(link).close());
        assertThrows(IOException.class, () -> PrivateFiles.createNew(link, new byte[] {1}));
        assertThrows(IOException.class, () -> PrivateFiles.read(link));
        PrivateFiles.replace(link, "token\n");
        assertEquals("untouched", Files.readString(victim));
        assertEquals("token\n", Files.readString(link));
        assertTrue(Files.isRegularFile(link, LinkOption.NOFOLLOW_LINKS));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(link)));
    }

    @Test
    void aMissingHomeIsMadeOwnerOnly() throws IOException {
        JpmHome home = new JpmHome(tmp.resolve("a").resolve("home"));
        PrivateFiles.makeHome(home);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.root())));
        PrivateFiles.makeHome(home); // again: it exists and is ours
    }

    @Test
    void anOpenHomeIsRefusedNotRepaired() throws IOException {
        Path open = folder("open", "rwxrwxrwx");
        JpmException e = assertThrows(JpmException.class, () -> PrivateFiles.makeHome(new JpmHome(open)));
        assertEquals(JpmError.FORBIDDEN, e.error());
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(open)));
    }
}
