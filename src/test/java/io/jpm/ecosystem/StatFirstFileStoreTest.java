package io.jpm.ecosystem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watched files' store: read again only when a stat says the file may have changed. */
class StatFirstFileStoreTest {
    private final Vertx vertx = Vertx.vertx();

    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private StatFirstFileStore store(Path file) {
        return new StatFirstFileStore(vertx, new JsonObject().put("path", file.toString()));
    }

    private static Buffer get(StatFirstFileStore store) throws Exception {
        return store.get().await(10, TimeUnit.SECONDS);
    }

    /** Dates the file back, so that it is not "racy" (modified just before it was read). */
    private static void age(Path file) throws Exception {
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    }

    @Test
    void anUnchangedFileIsNotReadAgain() throws Exception {
        Path file = dir.resolve("jpm.json");
        Files.writeString(file, "{\"a\":1}");
        age(file);
        StatFirstFileStore store = store(file);
        Buffer first = get(store);
        assertEquals("{\"a\":1}", first.toString());
        assertSame(first, get(store), "the text read before, no read");
    }

    @Test
    void anEditInPlaceOrByRenameIsReadEvenWithTheSameTimeAndSize() throws Exception {
        Path file = dir.resolve("jpm.json");
        Files.writeString(file, "{\"a\":1}");
        age(file);
        FileTime old = Files.getLastModifiedTime(file);
        StatFirstFileStore store = store(file);
        get(store);

        // a save by rename: a new file (inode), same size, its time set back to the old one's
        Path saved = dir.resolve("jpm.json.tmp");
        Files.writeString(saved, "{\"a\":2}");
        Files.setLastModifiedTime(saved, old);
        Files.move(saved, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals("{\"a\":2}", get(store).toString());

        // in place, another size
        Files.writeString(file, "{\"a\":33}");
        age(file);
        assertEquals("{\"a\":33}", get(store).toString());
    }

    @Test
    void aFileModifiedJustBeforeItWasReadIsReadEveryTime() throws Exception {
        Path file = dir.resolve("jpm.json");
        Files.writeString(file, "{\"a\":1}"); // now: within the racy window
        StatFirstFileStore store = store(file);
        Buffer first = get(store);
        assertNotSame(first, get(store), "read again: an edit of the same size in the same tick would be missed");
    }
}
