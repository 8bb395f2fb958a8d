package io.jpm.ecosystem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Eventually;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watched file is looked at when its folder's events name it, not every scan period: with a scan
 * period of ten minutes, an edit, a save by rename, a deletion and the file back are each seen within
 * seconds. Where a link is in the path the events are not followed and the scan period rules.
 */
class FileWatchTest {
    /** Far beyond the test's deadlines: a change seen in time was seen by an event. */
    private static final long NO_SCAN_MS = 600_000;

    @TempDir
    Path dir;

    private Vertx vertx;
    private ContextInternal scans;
    private FileWatch watch;
    private final List<String> changes = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger readsAgain = new AtomicInteger();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        scans = ((VertxInternal) vertx).createWorkerContext(); // as the config watcher: looks stat the file
    }

    @AfterEach
    void stop() throws Exception {
        if (watch != null) {
            watch.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private String watch(Path file, long scanPeriodMs) throws Exception {
        watch = new FileWatch(
                scans,
                vertx,
                file.toString(),
                scanPeriodMs,
                changes::add,
                failures::add,
                readsAgain::incrementAndGet,
                () -> true);
        return watch.initial().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private boolean follows() throws Exception {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        scans.runOnContext(v -> answer.complete(watch.followsFolder()));
        return answer.get(10, TimeUnit.SECONDS);
    }

    @Test
    void editsRenamesDeletionsAndTheFileBackAreSeenByTheFoldersEvents() throws Exception {
        Path file = Files.writeString(dir.resolve("eco.json"), "{\"apps\":[]}");
        assertEquals("{\"apps\":[]}", watch(file, NO_SCAN_MS));
        Eventually.until("the folder's events followed", () -> uncheckedFollows());

        Files.writeString(file, "{\"apps\":[1]}");
        Eventually.until("an edit in place seen", Duration.ofSeconds(10), () -> changes.contains("{\"apps\":[1]}"));

        Path saved = Files.writeString(dir.resolve(".eco.json.swp"), "{\"apps\":[2]}");
        Files.move(saved, file, StandardCopyOption.ATOMIC_MOVE);
        Eventually.until("a save by rename seen", Duration.ofSeconds(10), () -> changes.contains("{\"apps\":[2]}"));

        Files.delete(file);
        Eventually.until("the deletion seen", Duration.ofSeconds(10), () -> failures.size() == 1);

        Files.writeString(file, "{\"apps\":[3]}");
        Eventually.until("the file back seen", Duration.ofSeconds(10), () -> changes.contains("{\"apps\":[3]}"));
        assertEquals(1, readsAgain.get());
        assertEquals(
                List.of("{\"apps\":[1]}", "{\"apps\":[2]}", "{\"apps\":[3]}"), changes, "each text once, in order");
        assertEquals(1, failures.size(), "the failure is reported once");
    }

    @Test
    void anEditWhileTheFirstReadRunsIsNotLost() throws Exception {
        Path file = Files.writeString(dir.resolve("jpm.json"), "{}");
        watch = new FileWatch(
                scans,
                vertx,
                file.toString(),
                NO_SCAN_MS,
                changes::add,
                failures::add,
                readsAgain::incrementAndGet,
                () -> true);
        var first = watch.initial();
        Files.writeString(file, "{\"web\":{\"enabled\":true}}"); // jpm web's second edit, in CI
        String initial = first.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Eventually.until(
                "the edit seen, in the first read or after it",
                Duration.ofSeconds(10),
                () -> initial.contains("enabled") || changes.contains("{\"web\":{\"enabled\":true}}"));
    }

    /**
     * The edit right after a chmod of the folder (HotReloadOwnershipIT, in CI) waited for the safety scan:
     * the chmod dropped the watch and the look that re-made it read first, so a write between the read
     * and the new watch told nobody.
     */
    @Test
    void anEditRightAfterAChangeOfTheFoldersModeIsSeen() throws Exception {
        Path file = Files.writeString(dir.resolve("eco.json"), "{}");
        watch(file, NO_SCAN_MS);
        Eventually.until("the folder's events followed", () -> uncheckedFollows());
        for (int i = 0; i < 20; i++) {
            String text = "{\"apps\":[" + i + "]}";
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(i % 2 == 0 ? "rwxrwxrwx" : "rwx------"));
            Files.writeString(file, text);
            Eventually.until("edit " + i + " seen", Duration.ofSeconds(10), () -> changes.contains(text));
        }
        assertTrue(follows(), "still followed");
    }

    @Test
    void aPathThroughALinkIsScannedNotFollowed() throws Exception {
        Path real = Files.createDirectories(dir.resolve("releases/1"));
        Path current = Files.createSymbolicLink(dir.resolve("current"), real);
        Path file = Files.writeString(current.resolve("eco.json"), "{}");
        assertEquals("{}", watch(file, 100));
        assertFalse(follows(), "a link in the path: its folder's events could go stale");

        Path next = Files.createDirectories(dir.resolve("releases/2"));
        Files.writeString(next.resolve("eco.json"), "{\"apps\":[]}");
        Path link = Files.createSymbolicLink(dir.resolve("current.new"), next);
        Files.move(link, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Eventually.until(
                "the switched release's file seen", Duration.ofSeconds(10), () -> changes.contains("{\"apps\":[]}"));
    }

    @Test
    void aPlainPathIsFollowed() throws Exception {
        Path file = Files.writeString(dir.resolve("jpm.json"), "{}");
        watch(file, NO_SCAN_MS);
        Eventually.until("the folder's events followed", () -> uncheckedFollows());
        assertTrue(changes.isEmpty(), "the first text is the baseline, not a change");
    }

    private boolean uncheckedFollows() {
        try {
            return follows();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
