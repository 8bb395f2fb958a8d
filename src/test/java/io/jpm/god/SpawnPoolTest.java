package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.testkit.Eventually;
import io.jpm.testkit.FakeLauncher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mass start leaves Vert.x's worker pool to the worker verticles: while every spawn thread is held
 * by a slow OS, a task on the worker pool still runs. Spawns queued on that pool starved the
 * LogAggregator (every worker in posix_spawn) during a start of 1,000 apps.
 */
class SpawnPoolTest {
    /** The daemon's worker pool (DaemonMain): as small as the spawn pool, so held spawns could take it all. */
    private static final int DAEMON_WORKERS = 4;

    @TempDir
    Path home;

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(DAEMON_WORKERS));
    private final FakeLauncher launcher = new FakeLauncher();

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void heldSpawnsDoNotTakeTheWorkerPool() {
        GodOnBus god = GodOnBus.deploy(vertx, home, launcher);
        int instances = DAEMON_WORKERS * 3;
        CountDownLatch released = new CountDownLatch(1);
        launcher.holdSpawnsUntil(released);
        try {
            god.startAsync(god.app("many").put("instances", instances));
            // every thread that spawns is held now; on the worker pool, the rest of the spawns queue there
            Eventually.until(
                    "spawns held", Duration.ofSeconds(10), () -> launcher.waitingSpawns() >= Launching.SPAWN_THREADS);
            Future<String> onWorkerPool = vertx.executeBlocking(() -> "ran", false);
            Eventually.until(
                    "a task on the worker pool ran while the spawns were held",
                    Duration.ofSeconds(10),
                    onWorkerPool::isComplete);
            assertEquals("ran", onWorkerPool.result());
        } finally {
            released.countDown();
        }
        List<?> online = god.awaitStatus("many", instances, "online");
        assertEquals(instances, online.size(), "every held spawn went on once released");
    }
}
