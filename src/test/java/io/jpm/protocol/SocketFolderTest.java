package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JPM_HOME too deep for socket paths gets its sockets in a private folder of a random
 * name in the temp folder, made 0700, checked with lstat, recorded in JPM_HOME/sockets, reused by the
 * next daemon after a crash, removed at a clean stop; a recorded folder that is a link, another
 * user's, open to others or not one jpm names is left alone and replaced by a new one.
 */
class SocketFolderTest {
    private static final int NOBODY = 65534;

    @TempDir
    Path scratch;

    private Path temp;
    private JpmHome deep;
    private final List<String> problems = new ArrayList<>();

    @BeforeEach
    void homes() throws IOException {
        temp = Files.createDirectory(scratch.resolve("tmp"));
        Path root = scratch.resolve("d".repeat(120)).resolve("home");
        Files.createDirectories(root);
        deep = new JpmHome(root);
        assertFalse(SocketFolder.fits(root), "the home is not deep enough for this test: " + root);
    }

    private SocketFolder make() throws IOException {
        return SocketFolder.make(deep, temp, problems::add);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aShortHomeKeepsItsSocketsInIt() throws IOException {
        JpmHome shortHome = new JpmHome(scratch.resolve("home"));
        SocketFolder folder = SocketFolder.make(shortHome, temp, problems::add);
        assertTrue(folder.inHome());
        assertEquals(shortHome.root().resolve("jpm.sock"), folder.jpmSocket());
        assertEquals(shortHome.root().resolve("run"), folder.appSockets());
        assertEquals(shortHome.cliSocket(), folder.jpmSocket());
        assertFalse(Files.exists(shortHome.socketFolderRecord()));
    }

    @Test
    void aDeepHomeGetsAPrivateFolderOfARandomNameRecordedInTheHome() throws IOException {
        SocketFolder folder = make();
        assertFalse(folder.inHome());
        assertEquals(temp.toRealPath(), folder.dir().getParent());
        assertTrue(
                folder.dir().getFileName().toString().matches("jpm-[0-9a-f]{12}"),
                folder.dir().toString());
        assertEquals("rwx------", mode(folder.dir()));
        assertEquals(
                folder.dir().toString(),
                Files.readString(deep.socketFolderRecord()).trim());
        assertEquals("rw-------", mode(deep.socketFolderRecord()));
        assertTrue(folder.jpmSocket().toString().getBytes(StandardCharsets.UTF_8).length < SocketFolder.SUN_PATH);
        assertEquals(folder, SocketFolder.of(deep), "the launcher finds the folder the daemon made");
        assertNull(deep.cliSocket(), "no jpm.sock in a home this deep");
        assertEquals(List.of(), problems);
    }

    @Test
    void theNextDaemonReusesTheFolderAndRemovesWhatWasLeftInIt() throws IOException {
        SocketFolder first = make();
        Files.writeString(first.jpmSocket(), "left by a daemon killed with SIGKILL");
        Files.createSymbolicLink(first.formerBridgeSocket(), scratch);
        SocketFolder next = make();
        assertEquals(first.dir(), next.dir());
        assertFalse(Files.exists(next.jpmSocket(), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(next.formerBridgeSocket(), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isDirectory(scratch), "a link left there was removed, not followed");
        assertEquals(List.of(), problems);
    }

    @Test
    void aRecordedFolderThatIsALinkIsLeftAloneAndANewOneMade() throws IOException {
        Path target = Files.createDirectory(scratch.resolve("planted-target"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(target.resolve("keep"), "not jpm's");
        Path link = Files.createSymbolicLink(temp.resolve("jpm-000000000000"), target);
        PrivateFiles.replace(deep.socketFolderRecord(), link + "\n");
        SocketFolder folder = make();
        assertNotEquals(link, folder.dir());
        assertTrue(Files.isSymbolicLink(link), "the link was removed");
        assertTrue(Files.exists(target.resolve("keep")), "what the link points to was touched");
        assertEquals(
                folder.dir().toString(),
                Files.readString(deep.socketFolderRecord()).trim());
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("is not a folder (a link or a file is at its name)"), problems.get(0));
    }

    @Test
    void aRecordedFolderOpenToOthersOrNotNamedByJpmIsLeftAlone() throws IOException {
        Path open = Files.createDirectory(temp.resolve("jpm-111111111111"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        PrivateFiles.replace(deep.socketFolderRecord(), open + "\n");
        assertNotEquals(open, make().dir());
        assertTrue(problems.get(0).contains("has mode 0755, not 0700"), problems.get(0));
        Path other = Files.createDirectory(scratch.resolve("somewhere"));
        Files.writeString(other.resolve("keep"), "not jpm's");
        PrivateFiles.replace(deep.socketFolderRecord(), other + "\n");
        assertNotEquals(other, make().dir());
        assertTrue(Files.exists(other.resolve("keep")), "a folder jpm did not name was emptied");
        assertTrue(problems.get(1).contains("is not one jpm made"), problems.get(1));
    }

    @Test
    void aRecordedFolderOfAnotherUserIsLeftAlone() throws IOException {
        assumeTrue(Ownership.currentUid() == 0, "chown needs root");
        Path theirs = Files.createDirectory(temp.resolve("jpm-222222222222"));
        Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rwx------"));
        Files.setAttribute(theirs, "unix:uid", NOBODY);
        PrivateFiles.replace(deep.socketFolderRecord(), theirs + "\n");
        assertNotEquals(theirs, make().dir());
        assertTrue(problems.get(0).contains("is owned by uid 65534"), problems.get(0));
        assertTrue(Files.isDirectory(theirs));
    }

    @Test
    void aCleanStopRemovesTheFolderAndItsRecord() throws IOException {
        SocketFolder folder = make();
        Files.writeString(folder.jpmSocket(), "a socket the bridge did not remove");
        folder.remove(deep);
        assertFalse(Files.exists(folder.dir()));
        assertFalse(Files.exists(deep.socketFolderRecord()));
        assertThrows(IOException.class, () -> SocketFolder.of(deep));
    }

    @Test
    void aTempFolderOthersMayWriteWithoutTheStickyBitIsRefused() throws IOException {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException refused = assertThrows(IOException.class, this::make);
        assertTrue(refused.getMessage().contains("is writable by others and not sticky"), refused.getMessage());
    }
}
