package io.jpm.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.vertx.config.spi.ConfigStore;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each method of LibraryInternals against the libraries on the class path: an upgrade that moves one fails here. */
class LibraryInternalsTest {
    @Test
    void nettyLogsToJdkLogging() {
        InternalLoggerFactory before = InternalLoggerFactory.getDefaultFactory();
        try {
            LibraryInternals.nettyLogsToJdk();
            String logger =
                    InternalLoggerFactory.getInstance("jpm.test").getClass().getSimpleName();
            assertTrue(logger.startsWith("JdkLogger"), logger);
        } finally {
            InternalLoggerFactory.setDefaultFactory(before);
        }
    }

    @Test
    void fileStoreReadsTheFile(@TempDir Path folder) throws Exception {
        Path file = Files.writeString(folder.resolve("jpm.json"), "{\"a\": 1}");
        Vertx vertx = Vertx.vertx();
        try {
            ConfigStore store = LibraryInternals.fileStore(vertx, new JsonObject().put("path", file.toString()));
            Buffer read = store.get().await(10, TimeUnit.SECONDS);
            assertEquals("{\"a\": 1}", read.toString());
            store.close().await(10, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
