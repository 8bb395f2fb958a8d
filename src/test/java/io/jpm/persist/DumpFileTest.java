package io.jpm.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.HomeFileNames;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpFileTest {
    @TempDir
    Path home;

    /** The user dump saved twice: app a, then apps a and b (so the .bak holds a). */
    private DumpFile savedTwice() throws IOException {
        DumpFile dump = DumpFile.userDump(home, HomeFileNames.JPM);
        dump.write(DumpFile.render(apps("a")));
        dump.write(DumpFile.render(apps("a", "b")));
        return dump;
    }

    /** Overwrites dump.json with {@code text}, as a crash mid-write or a hand edit leaves it. */
    private void corruptDump(String text) throws IOException {
        Files.writeString(home.resolve("dump.json"), text);
    }

    /** The dump reads from its .bak, which holds {@code apps} apps. */
    private void assertReadFromTheBak(DumpFile dump, int apps) throws IOException {
        DumpFile.Read read = dump.read();
        assertEquals(home.resolve("dump.json.bak"), read.from());
        assertEquals(apps, read.apps().size());
    }

    private static JsonArray apps(String... names) {
        JsonArray apps = new JsonArray();
        for (String name : names) {
            apps.add(new JsonObject().put("name", name).put("source", new JsonObject().put("script", "/bin/" + name)));
        }
        return apps;
    }

    @Test
    void aWriteOnAFullDiskSaysSoWithItsOwnCodeAndThatThePreviousDumpIsKept() {
        Path file = home.resolve("dump.json");
        JpmException full = DumpFile.writeFailed(
                file, true, new FileSystemException(file + ".7.tmp", null, "No space left on device"));
        assertEquals(JpmError.DISK_FULL, full.error());
        assertEquals(
                "cannot write " + file + ": the disk is full (No space left on device); the previous dump.json is kept",
                full.getMessage());
        JpmException quota = DumpFile.writeFailed(file, false, new IOException("Disk quota exceeded"));
        assertEquals(JpmError.DISK_FULL, quota.error());
        assertTrue(quota.getMessage().endsWith("; nothing was written"), quota.getMessage());
        JpmException other = DumpFile.writeFailed(file, true, new IOException("Input/output error"));
        assertEquals(JpmError.INTERNAL, other.error());
        assertEquals(
                "cannot write " + file + ": Input/output error; the previous dump.json is kept", other.getMessage());
    }

    @Test
    void writeKeepsThePreviousDumpAsBakAndLeavesNoTempFile() throws IOException {
        DumpFile dump = savedTwice();
        assertEquals(2, dump.read().apps().size());
        assertEquals(
                1,
                new JsonObject(Files.readString(home.resolve("dump.json.bak")))
                        .getJsonArray("apps")
                        .size());
        try (var files = Files.list(home)) {
            assertEquals(2, files.count(), "only dump.json and dump.json.bak");
        }
    }

    @Test
    void anUnreadableDumpFallsBackToTheBak() throws IOException {
        DumpFile dump = savedTwice();
        corruptDump("{\"apps\":[{\"na");
        assertReadFromTheBak(dump, 1);
    }

    @Test
    void anUnreadableDumpIsReplacedByTheBakItFellBackTo() throws IOException {
        DumpFile dump = savedTwice();
        corruptDump("{\"apps\":[{\"na");
        dump.read();
        assertEquals(Files.readString(home.resolve("dump.json.bak")), Files.readString(home.resolve("dump.json")));
        assertEquals(
                "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("dump.json"))));
        assertEquals(home.resolve("dump.json"), dump.read().from(), "the next read takes the dump again");
        try (var files = Files.list(home)) {
            assertEquals(2, files.count(), "only dump.json and dump.json.bak");
        }
    }

    @Test
    void aMissingDumpIsNotMadeFromTheBak() throws IOException {
        DumpFile dump = DumpFile.userDump(home, HomeFileNames.JPM);
        dump.write(DumpFile.render(apps("a")));
        Files.delete(home.resolve("dump.json"));
        assertEquals(home.resolve("dump.json.bak"), dump.read().from());
        assertTrue(!Files.exists(home.resolve("dump.json")));
    }

    @Test
    void anAppWithoutSourceMakesTheDumpUnreadable() throws IOException {
        corruptDump("{\"apps\":[{\"name\":\"a\"}]}");
        JpmException e = assertThrows(JpmException.class, () -> DumpFile.userDump(home, HomeFileNames.JPM)
                .read());
        assertTrue(e.getMessage().contains("without name or source"), e.getMessage());
        assertTrue(e.getMessage().contains("dump.json.bak: does not exist"), e.getMessage());
    }

    @Test
    void aFirstWriteLeavesACompleteCopyInTheBakSoACorruptedDumpStillReads() throws IOException {
        DumpFile dump = DumpFile.userDump(home, HomeFileNames.JPM);
        dump.write(DumpFile.render(apps("a", "b")));
        corruptDump("garbage");
        assertReadFromTheBak(dump, 2);
    }

    @Test
    void aWriteOverAnUnreadableDumpKeepsTheGoodBak() throws IOException {
        DumpFile dump = savedTwice();
        corruptDump("garbage");
        dump.write(DumpFile.render(apps("c")));
        assertEquals(
                1,
                new JsonObject(Files.readString(home.resolve("dump.json.bak")))
                        .getJsonArray("apps")
                        .size(),
                "the .bak keeps the good dump it held, not the garbage");
    }

    @Test
    void theDaemonsRecordIsAnotherFile() throws IOException {
        DumpFile.recoveryState(home).write(DumpFile.render(apps("x")));
        assertTrue(Files.isRegularFile(home.resolve("state.json")));
        assertTrue(!Files.exists(home.resolve("dump.json")), "the user's dump is not touched");
    }
}
