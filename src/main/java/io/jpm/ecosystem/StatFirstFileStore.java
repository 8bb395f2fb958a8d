package io.jpm.ecosystem;

import io.jpm.internals.LibraryInternals;
import io.jpm.protocol.BlockingCall;
import io.vertx.config.spi.ConfigStore;
import io.vertx.config.spi.ConfigStoreFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * vertx-config's file store (type {@code jpm-file}, same config as {@code file}) that reads the file
 * again only when a stat says it may have changed: its identity (device and inode: a save by rename
 * is a new file), size or modification time differ from the last read's. Reading every watched file
 * whole on a worker every scan period would be an idle daemon's main work. A file
 * modified within {@link #RACY_MS} of the read that cached it is read again all the same: on a file
 * system with coarse times an edit of the same length in the same second keeps its time (git's
 * "racy" files). The stat runs on the watcher's scan context, a worker's: never on an event loop.
 */
public final class StatFirstFileStore implements ConfigStore {
    public static final String TYPE = "jpm-file";
    static final long RACY_MS = 2_000;

    private final ConfigStore read;
    private final Path path;
    private Stamp cachedStamp;
    private Buffer cached;

    /**
     * A stat's identity, time and size. Compared by {@link #same}, not a record's equals: that one is
     * linked at its first call (ObjectMethods' bootstrap spins method handles): ~40 ms of an idle
     * daemon's CPU at the first safety scan after a start of 200 apps (async-profiler at 100 us).
     */
    private record Stamp(Object fileKey, FileTime modified, long size) {
        boolean same(Stamp other) {
            return other != null
                    && size == other.size
                    && Objects.equals(fileKey, other.fileKey)
                    && Objects.equals(modified, other.modified);
        }
    }

    StatFirstFileStore(Vertx vertx, JsonObject configuration) {
        this.read = LibraryInternals.fileStore(vertx, configuration);
        this.path = Path.of(Objects.requireNonNull(configuration.getString("path"), "path"));
    }

    @Override
    public Future<Buffer> get() {
        BlockingCall.check("a stat of " + path);
        Stamp now;
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            now = new Stamp(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
        } catch (IOException | RuntimeException e) {
            cached = null;
            return read.get(); // it reports the failure as it always has
        }
        if (cached != null && now.same(cachedStamp)) {
            return Future.succeededFuture(cached);
        }
        long readAt = System.currentTimeMillis();
        return read.get().onSuccess(text -> {
            boolean racy = now.modified().toMillis() > readAt - RACY_MS;
            cachedStamp = racy ? null : now;
            cached = racy ? null : text;
        });
    }

    @Override
    public Future<Void> close() {
        return read.close();
    }

    /** Found by vertx-config through META-INF/services. */
    public static final class Factory implements ConfigStoreFactory {
        @Override
        public String name() {
            return TYPE;
        }

        @Override
        public ConfigStore create(Vertx vertx, JsonObject configuration) {
            return new StatFirstFileStore(vertx, configuration);
        }
    }
}
