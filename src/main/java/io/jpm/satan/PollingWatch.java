package io.jpm.satan;

import io.jpm.config.IgnorePatterns;
import io.jpm.config.WatchOptions;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * chokidar's {@code usePolling} (pm2's {@code watch_options}): the app's files are listed every
 * interval and compared with the last listing (modification time and size), for file systems
 * whose changes inotify does not see (NFS, some container mounts). It costs a folder walk per
 * interval, which is why it is only used when asked for. Runs on {@link FileWatcher}'s scheduler.
 */
final class PollingWatch {
    /** What a file looked like at the last scan. */
    private record Seen(long modified, long size) {}

    private final int owner;
    private final List<Path> roots;
    private final IgnorePatterns ignore;
    private final WatchOptions options;
    private final BiConsumer<Integer, Path> onChange;
    private Map<Path, Seen> last;
    private ScheduledFuture<?> task;

    PollingWatch(
            int owner,
            List<Path> roots,
            IgnorePatterns ignore,
            WatchOptions options,
            BiConsumer<Integer, Path> onChange) {
        this.owner = owner;
        this.roots = roots;
        this.ignore = ignore;
        this.options = options;
        this.onChange = onChange;
    }

    void start(ScheduledExecutorService scheduler) {
        last = scan(); // what is there at start is no change (chokidar's ignoreInitial, which pm2 sets)
        task = scheduler.scheduleWithFixedDelay(
                this::compare, options.intervalMs(), options.intervalMs(), TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void compare() {
        Map<Path, Seen> now = scan();
        for (Map.Entry<Path, Seen> e : now.entrySet()) {
            if (!Objects.equals(last.get(e.getKey()), e.getValue())) {
                onChange.accept(owner, e.getKey());
            }
        }
        for (Path gone : last.keySet()) {
            if (!now.containsKey(gone)) {
                onChange.accept(owner, gone);
            }
        }
        last = now;
    }

    private Map<Path, Seen> scan() {
        Map<Path, Seen> files = new HashMap<>();
        Set<FileVisitOption> follow = options.followSymlinks()
                ? EnumSet.of(FileVisitOption.FOLLOW_LINKS)
                : EnumSet.noneOf(FileVisitOption.class);
        int maxDepth = options.depth() < 0 ? Integer.MAX_VALUE : options.depth() + 1;
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                try {
                    BasicFileAttributes a = Files.readAttributes(root, BasicFileAttributes.class);
                    files.put(root, new Seen(a.lastModifiedTime().toMillis(), a.size()));
                } catch (IOException e) {
                    // not there (yet): its appearance is a change
                }
                continue;
            }
            try {
                Files.walkFileTree(root, follow, maxDepth, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        return !dir.equals(root) && ignore.ignores(dir, root)
                                ? FileVisitResult.SKIP_SUBTREE
                                : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (!attrs.isDirectory() && !ignore.ignores(file, root)) {
                            files.put(file, new Seen(attrs.lastModifiedTime().toMillis(), attrs.size()));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                // the root went away: every file under it is gone, which the comparison reports
            }
        }
        return files;
    }
}
