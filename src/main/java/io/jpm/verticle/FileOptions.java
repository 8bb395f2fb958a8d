package io.jpm.verticle;

import io.vertx.core.file.FileSystemOptions;

/** How the Vert.x instances of a daemon (its own, the cluster side's) reach files. */
public final class FileOptions {
    private FileOptions() {}

    /**
     * No file of the class path through Vert.x's file system: jpm reads its own resources with
     * getResourceAsStream and gives Vert.x absolute paths. With it on, each Vert.x made a folder
     * {@code vertx-cache-<random>} in the temp dir at its start, removed by a shutdown hook that a daemon
     * ended by SIGKILL (its keeper's, an OutOfMemoryError's exit) never runs: 538 of them in a day's /tmp
     * here; and its random name loaded the JDK's SecureRandom and security providers. (jpm serve, which
     * imports nothing of the daemon's, sets the same on its own.)
     */
    public static FileSystemOptions withoutClassPath() {
        return new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false);
    }
}
