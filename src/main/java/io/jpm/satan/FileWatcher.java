package io.jpm.satan;

import io.jpm.config.IgnorePatterns;
import io.jpm.config.WatchOptions;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * pm2's {@code watch}: one JDK WatchService (inotify on Linux, no polling) for every watching app,
 * and one thread blocked on it, so an idle daemon spends no CPU on watching; an app that asks for
 * polling ({@code watch_options.usePolling}) is scanned by a {@link PollingWatch} instead. Folders are watched
 * recursively (new sub-folders are added as they appear); ignored paths are neither watched nor
 * reported. Registration walks folders: call {@link #watch} and {@link #unwatch} off the event
 * loop. Changes are handed to {@code onChange(owner, path)} on the watch thread.
 */
final class FileWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("jpm.satan");

    /** One app instance's watch: its roots, its ignore patterns and how deep and through which links it looks. */
    private record Owner(int id, List<Path> roots, IgnorePatterns ignore, WatchOptions options) {
        /** The root a path lies under when the owner wants it reported, else null. */
        Path rootOf(Path path) {
            for (Path root : roots) {
                if (path.startsWith(root) && !ignore.ignores(path, root)) {
                    return root;
                }
            }
            return null;
        }
    }

    private final BiConsumer<Integer, Path> onChange;
    private final Map<Integer, Owner> owners = new HashMap<>();
    /** Every watched folder and the owners it is watched for. */
    private final Map<Path, Set<Integer>> folders = new HashMap<>();

    private final Map<WatchKey, Path> keys = new HashMap<>();
    private WatchService service;
    private Thread thread;
    /** Owners that poll (watch_options.usePolling), and the thread their scans run on. */
    private final Map<Integer, PollingWatch> polling = new HashMap<>();

    private ScheduledExecutorService scheduler;

    FileWatcher(BiConsumer<Integer, Path> onChange) {
        this.onChange = onChange;
    }

    /** Starts (or replaces) the watch of {@code owner}, with chokidar's defaults; blocking. */
    synchronized void watch(int owner, List<String> paths, List<String> ignorePatterns) throws IOException {
        watch(owner, paths, ignorePatterns, WatchOptions.DEFAULTS);
    }

    /** Starts (or replaces) the watch of {@code owner}; blocking. */
    synchronized void watch(int owner, List<String> paths, List<String> ignorePatterns, WatchOptions options)
            throws IOException {
        unwatch(owner);
        if (options.usePolling()) {
            if (scheduler == null) {
                scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "jpm-watch-poll");
                    t.setDaemon(true);
                    return t;
                });
            }
            PollingWatch watch = new PollingWatch(
                    owner,
                    paths.stream().map(Path::of).toList(),
                    new IgnorePatterns(ignorePatterns),
                    options,
                    onChange);
            polling.put(owner, watch);
            watch.start(scheduler);
            return;
        }
        if (service == null) {
            service = FileSystems.getDefault().newWatchService();
            thread = new Thread(this::run, "jpm-watch");
            thread.setDaemon(true);
            thread.start();
        }
        Owner o = new Owner(owner, paths.stream().map(Path::of).toList(), new IgnorePatterns(ignorePatterns), options);
        owners.put(owner, o);
        for (Path root : o.roots()) {
            if (Files.isDirectory(root)) {
                registerTree(root, root, o);
            } else if (root.getParent() != null && Files.isDirectory(root.getParent())) {
                register(root.getParent(), owner); // a single file: its folder, only that file reported
            } else {
                LOG.warning(() -> "watch: " + root + " does not exist; nothing watched there for id " + owner);
            }
        }
    }

    /** Stops the watch of {@code owner}; folders nobody else watches are released. */
    synchronized void unwatch(int owner) {
        PollingWatch polled = polling.remove(owner);
        if (polled != null) {
            polled.stop();
        }
        if (owners.remove(owner) == null) {
            return;
        }
        folders.values().forEach(ids -> ids.remove(owner));
        keys.entrySet().removeIf(e -> {
            Set<Integer> ids = folders.get(e.getValue());
            if (ids == null || ids.isEmpty()) {
                e.getKey().cancel();
                folders.remove(e.getValue());
                return true;
            }
            return false;
        });
    }

    synchronized int watchedFolders() {
        return folders.size();
    }

    /**
     * Watches {@code top} and the folders under it, down to the owner's depth counted from
     * {@code root} (top is root, or a folder that appeared under it).
     */
    private void registerTree(Path top, Path root, Owner owner) throws IOException {
        Set<FileVisitOption> follow = owner.options().followSymlinks()
                ? EnumSet.of(FileVisitOption.FOLLOW_LINKS)
                : EnumSet.noneOf(FileVisitOption.class);
        int depth = owner.options().depth();
        Files.walkFileTree(top, follow, Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(root) && owner.ignore().ignores(dir, root)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (depth >= 0 && !dir.equals(root) && root.relativize(dir).getNameCount() > depth) {
                    return FileVisitResult.SKIP_SUBTREE; // chokidar's depth: sub-folder levels below the root
                }
                register(dir, owner.id());
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // a folder we may not read is not watched
            }
        });
    }

    private void register(Path dir, int owner) throws IOException {
        Set<Integer> ids = folders.get(dir);
        if (ids == null) {
            WatchKey key = dir.register(
                    service,
                    StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            keys.put(key, dir);
            ids = new HashSet<>();
            folders.put(dir, ids);
        }
        ids.add(owner);
    }

    private void run() {
        while (true) {
            WatchKey key;
            try {
                key = service.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            for (WatchEvent<?> event : key.pollEvents()) {
                handle(key, event);
            }
            key.reset();
        }
    }

    private synchronized void handle(WatchKey key, WatchEvent<?> event) {
        Path dir = keys.get(key);
        if (dir == null || event.kind() == StandardWatchEventKinds.OVERFLOW) {
            if (dir != null) {
                // too many changes at once: report the folder itself to every owner
                folders.getOrDefault(dir, Set.of()).forEach(id -> onChange.accept(id, dir));
            }
            return;
        }
        Path path = dir.resolve((Path) event.context());
        for (int id : Set.copyOf(folders.getOrDefault(dir, Set.of()))) {
            Owner owner = owners.get(id);
            Path root = owner == null ? null : owner.rootOf(path);
            if (root == null) {
                continue;
            }
            if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE
                    && Files.isDirectory(path)
                    && Files.isDirectory(root)) {
                try {
                    registerTree(path, root, owner);
                } catch (IOException e) {
                    LOG.warning(() -> "watch: cannot watch new folder " + path + ": " + e.getMessage());
                }
            }
            onChange.accept(id, path);
        }
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                LOG.fine(() -> "watch service close: " + e);
            }
        }
    }
}
