package io.jpm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder's changes from inotify on the first pump, by name (what the config watcher waits on). */
class DirectoryEventsTest {
    @TempDir
    Path dir;

    @Test
    void aFileWrittenRenamedInOrDeletedIsNamed() throws Exception {
        BlockingQueue<String> named = new LinkedBlockingQueue<>();
        try (DirectoryEvents events = DirectoryEvents.watch(dir, name -> named.add(String.valueOf(name)))) {
            Files.writeString(dir.resolve("jpm.json"), "{}");
            assertEquals("jpm.json", next(named));
            drain(named);

            Path temp = Files.writeString(dir.resolve(".jpm.json.tmp"), "{\"a\":1}");
            drain(named);
            Files.move(
                    temp, dir.resolve("jpm.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertTrue(awaitName(named, "jpm.json"), "an editor's save by rename is seen");

            Files.delete(dir.resolve("jpm.json"));
            assertTrue(awaitName(named, "jpm.json"), "a delete is seen");
        }
    }

    @Test
    void afterCloseNothingMoreIsReported() throws Exception {
        BlockingQueue<String> named = new LinkedBlockingQueue<>();
        DirectoryEvents events = DirectoryEvents.watch(dir, name -> named.add(String.valueOf(name)));
        Files.writeString(dir.resolve("one"), "1");
        assertEquals("one", next(named));
        events.close();
        // a marker watch on the same pump: once it has heard its file, the closed watch's event would have come first
        BlockingQueue<String> marker = new LinkedBlockingQueue<>();
        try (DirectoryEvents after = DirectoryEvents.watch(dir, name -> marker.add(String.valueOf(name)))) {
            drain(named);
            Files.writeString(dir.resolve("two"), "2");
            assertEquals("two", next(marker));
            assertNull(named.poll(200, TimeUnit.MILLISECONDS), "the closed watch reports nothing");
        }
    }

    /**
     * A chmod of the folder (CI: a test made it 0777) was reported as lost events, and the watch was
     * dropped until a look re-made it: an edit in between waited a minute for the safety scan.
     */
    @Test
    void aChangeOfTheFoldersModeIsTheFoldersOwnAndTheWatchGoesOn() throws Exception {
        BlockingQueue<String> named = new LinkedBlockingQueue<>();
        try (DirectoryEvents events = DirectoryEvents.watch(dir, name -> named.add(String.valueOf(name)))) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            assertEquals(DirectoryEvents.THE_FOLDER, next(named), "the folder's own change, not lost events");
            Files.writeString(dir.resolve("eco.json"), "{}");
            assertEquals("eco.json", next(named), "the watch goes on");
        }
    }

    @Test
    void aFolderThatIsALinkOrMissingIsRefused() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        IOException linked = assertThrows(IOException.class, () -> DirectoryEvents.watch(link, name -> {}));
        assertTrue(linked.getMessage().contains(link.toString()), linked.getMessage());
        assertThrows(IOException.class, () -> DirectoryEvents.watch(dir.resolve("none"), name -> {}));
    }

    private static String next(BlockingQueue<String> named) throws InterruptedException {
        String name = named.poll(10, TimeUnit.SECONDS);
        assertTrue(name != null, "no event within 10 s");
        return name;
    }

    /** Whether {@code name} is among the events of the next 10 s (a write also reports its close). */
    private static boolean awaitName(BlockingQueue<String> named, String name) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
            if (name.equals(named.poll(left, TimeUnit.NANOSECONDS))) {
                return true;
            }
        }
        return false;
    }

    /** Takes what was reported so far (a write reports its creation and its close). */
    private static void drain(BlockingQueue<String> named) throws InterruptedException {
        while (named.poll(100, TimeUnit.MILLISECONDS) != null) {
            // the write's further events
        }
    }
}
