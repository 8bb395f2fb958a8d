package io.jpm.satan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.config.WatchOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inotify watcher on a real folder: recursion, new folders, ignore patterns, unwatch. */
class FileWatcherTest {
    @TempDir
    Path dir;

    private record Change(int owner, Path path) {}

    private final LinkedBlockingQueue<Change> changes = new LinkedBlockingQueue<>();

    /** The next change, waited for with a deadline. */
    private Change next() throws InterruptedException {
        Change c = changes.poll(20, TimeUnit.SECONDS);
        assertTrue(c != null, "no change reported within 20 s");
        return c;
    }

    @Test
    void reportsChangesDeepDownAndInNewFoldersButNotIgnoredOnes() throws Exception {
        Files.createDirectories(dir.resolve("src/deep"));
        Files.createDirectories(dir.resolve("node_modules/lib"));
        try (FileWatcher watcher = new FileWatcher((owner, path) -> changes.add(new Change(owner, path)))) {
            watcher.watch(7, List.of(dir.toString()), List.of("node_modules", "*.log"));
            assertEquals(2 + 1, watcher.watchedFolders(), "dir, src, src/deep; node_modules skipped");

            Files.writeString(dir.resolve("node_modules/lib/x.js"), "ignored");
            Files.writeString(dir.resolve("src/out.log"), "ignored");
            Files.writeString(dir.resolve("src/deep/a.txt"), "seen");
            Change c = next();
            assertEquals(new Change(7, dir.resolve("src/deep/a.txt")), c, "ignored changes are never reported");

            Path fresh = Files.createDirectories(dir.resolve("src/fresh"));
            Change f = next();
            while (!f.path().equals(fresh)) {
                assertEquals(dir.resolve("src/deep/a.txt"), f.path(), "only the one file changed so far");
                f = next();
            }
            // the new folder is watched once it is reported; a file written in it is seen
            Files.writeString(fresh.resolve("b.txt"), "seen");
            Change b = next();
            while (!b.path().equals(fresh.resolve("b.txt"))) {
                b = next();
            }

            watcher.unwatch(7);
            assertEquals(0, watcher.watchedFolders());
        }
    }

    @Test
    void depthLimitsTheFoldersWatched() throws Exception {
        Files.createDirectories(dir.resolve("a/b/c"));
        try (FileWatcher watcher = new FileWatcher((owner, path) -> changes.add(new Change(owner, path)))) {
            watcher.watch(3, List.of(dir.toString()), List.of(), new WatchOptions(true, false, 100, 1));
            assertEquals(2, watcher.watchedFolders(), "depth 1: the root and a, not a/b nor a/b/c");
            Files.writeString(dir.resolve("a/b/c/deep.txt"), "not seen");
            Files.writeString(dir.resolve("a/b/deeper.txt"), "not seen");
            Files.writeString(dir.resolve("a/near.txt"), "seen");
            Change c = next();
            while (c.path().equals(dir.resolve("a/b"))) { // a/b itself is in a, which is watched
                c = next();
            }
            assertEquals(new Change(3, dir.resolve("a/near.txt")), c);
        }
    }

    @Test
    void pollingSeesChangesNewFilesAndDeletionsButNotWhatWasThere() throws Exception {
        Files.createDirectories(dir.resolve("src"));
        Path old = Files.writeString(dir.resolve("src/old.txt"), "a");
        Files.writeString(dir.resolve("skip.log"), "a");
        try (FileWatcher watcher = new FileWatcher((owner, path) -> changes.add(new Change(owner, path)))) {
            watcher.watch(5, List.of(dir.toString()), List.of("*.log"), new WatchOptions(true, true, 50, -1));
            Files.writeString(dir.resolve("skip.log"), "ignored, and longer");
            Path fresh = Files.writeString(dir.resolve("src/new.txt"), "b");
            assertEquals(
                    new Change(5, fresh), next(), "the files there at start are no change; ignored ones never are");
            Files.delete(old);
            assertEquals(new Change(5, old), next());
            watcher.unwatch(5);
            Files.writeString(fresh, "after unwatch");
            assertEquals(null, changes.poll(300, TimeUnit.MILLISECONDS), "nothing is reported once unwatched");
        }
    }

    @Test
    void aWatchedFileReportsOnlyItself() throws Exception {
        Path conf = Files.writeString(dir.resolve("app.conf"), "a");
        try (FileWatcher watcher = new FileWatcher((owner, path) -> changes.add(new Change(owner, path)))) {
            watcher.watch(1, List.of(conf.toString()), List.of());
            Files.writeString(dir.resolve("other.txt"), "not watched");
            Files.writeString(conf, "b");
            assertEquals(new Change(1, conf), next());
        }
    }
}
