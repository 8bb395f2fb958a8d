package io.jpm.keeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jpm.protocol.JpmHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keeper.pl in JPM_HOME: written from the jar that runs, read from the jar only when the note beside it
 * says another jar wrote it or the file changed since (a first command does not open the jar for it).
 */
class KeeperScriptTest {
    private static final List<String> DAEMON = List.of("java", "io.jpm.daemon.DaemonMain");

    @TempDir
    Path dir;

    private JpmHome home;
    private Path script;
    private Path writtenFrom;

    @BeforeEach
    void perlThere() {
        assumeTrue(KeeperScript.onPath("perl").isPresent(), "perl is needed for a keeper");
        home = new JpmHome(dir);
        script = home.keeperScript();
        writtenFrom = dir.resolve("keeper.pl" + KeeperScript.WRITTEN_FROM);
    }

    @Test
    void writesTheJarsScriptAndNotesWhichJarWroteIt() throws IOException {
        List<String> command =
                KeeperScript.wrap(home, DAEMON, "/opt/jpm/lib/jpm.jar@1000").orElseThrow();

        assertEquals(script.toString(), command.get(1));
        assertEquals(DAEMON, command.subList(2, command.size()));
        assertEquals(KeeperScript.script(), Files.readString(script));
        assertTrue(Files.readString(writtenFrom).startsWith("/opt/jpm/lib/jpm.jar@1000\n"));
    }

    @Test
    void leavesTheScriptItWroteAsItIs() throws IOException {
        KeeperScript.wrap(home, DAEMON, "/opt/jpm/lib/jpm.jar@1000");
        // a script of the same size and time: only the note could say it is the jar's, so it was not read
        String other = KeeperScript.script().replaceFirst("perl", "PERL");
        FileTime written = Files.getLastModifiedTime(script);
        Files.writeString(script, other);
        Files.setLastModifiedTime(script, written);

        KeeperScript.wrap(home, DAEMON, "/opt/jpm/lib/jpm.jar@1000");

        assertNotEquals(KeeperScript.script(), other);
        assertEquals(other, Files.readString(script));
    }

    @Test
    void writesItAgainOnceChanged() throws IOException {
        KeeperScript.wrap(home, DAEMON, "/opt/jpm/lib/jpm.jar@1000");
        Files.writeString(script, "print 'not the keeper';\n");

        KeeperScript.wrap(home, DAEMON, "/opt/jpm/lib/jpm.jar@1000");

        assertEquals(KeeperScript.script(), Files.readString(script));
    }

    @Test
    void writesItAgainForAnotherJar() throws IOException {
        KeeperScript.wrap(home, DAEMON, "/opt/jpm/lib/jpm.jar@1000");
        Files.writeString(script, "print 'an older keeper';\n");
        Files.writeString(writtenFrom, "/opt/jpm/lib/jpm.jar@1000\n23 5\n"); // a note that matched the old file

        KeeperScript.wrap(home, DAEMON, "/opt/jpm/lib/jpm.jar@2000");

        assertEquals(KeeperScript.script(), Files.readString(script));
        assertTrue(Files.readString(writtenFrom).startsWith("/opt/jpm/lib/jpm.jar@2000\n"));
    }

    @Test
    void readsTheJarEveryTimeWhenNotRunFromOne() throws IOException {
        Files.writeString(script, "print 'not the keeper';\n");

        KeeperScript.wrap(home, DAEMON, null);

        assertEquals(KeeperScript.script(), Files.readString(script));
        assertTrue(Files.notExists(writtenFrom));
    }

    @Test
    void aNoteThatIsALinkIsReplacedNotFollowed() throws IOException {
        Path elsewhere = Files.writeString(dir.resolve("elsewhere"), "/opt/jpm/lib/jpm.jar@1000\n");
        Files.createSymbolicLink(writtenFrom, elsewhere);

        KeeperScript.wrap(home, DAEMON, "/opt/jpm/lib/jpm.jar@1000");

        assertEquals(KeeperScript.script(), Files.readString(script));
        assertTrue(Files.isRegularFile(writtenFrom, LinkOption.NOFOLLOW_LINKS));
        assertEquals("/opt/jpm/lib/jpm.jar@1000\n", Files.readString(elsewhere), "the link's target untouched");
    }

    @Test
    void aNoteThatIsNotThisJarsIsWrittenAgain() throws IOException {
        KeeperScript.wrap(home, DAEMON, "/opt/jpm/lib/jpm.jar@1000");
        String note = Files.readString(writtenFrom);
        Files.writeString(writtenFrom, "garbage");

        KeeperScript.wrap(home, DAEMON, "/opt/jpm/lib/jpm.jar@1000");

        assertNotEquals("garbage", Files.readString(writtenFrom));
        assertEquals(
                note.lines().findFirst(), Files.readString(writtenFrom).lines().findFirst());
    }
}
