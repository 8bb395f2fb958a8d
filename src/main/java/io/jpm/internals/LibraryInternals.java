package io.jpm.internals;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import io.vertx.config.impl.spi.FileConfigStore;
import io.vertx.config.spi.ConfigStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Internals of the libraries around Vert.x: Netty's logging, vertx-config's file store. */
public final class LibraryInternals {
    private LibraryInternals() {}

    /**
     * Netty logs through java.util.logging. Why: otherwise it looks for slf4j, which is on the class
     * path for cron-utils only, and loading it costs the daemon's start and idle RSS.
     */
    public static void nettyLogsToJdk() {
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    }

    /**
     * vertx-config's own file store ({@code path}, {@code format} as its "file" type takes them). Why:
     * the watcher's stat-first store reads a file only when a stat says it changed, and reads it
     * then exactly as vertx-config would.
     */
    public static ConfigStore fileStore(Vertx vertx, JsonObject configuration) {
        return new FileConfigStore(vertx, configuration);
    }
}
