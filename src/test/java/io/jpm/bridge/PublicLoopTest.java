package io.jpm.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PublicLoopTest {
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void thePublicPortsLoopIsAThreadNoSharedLoopIs() throws Exception {
        PublicLoop loop = PublicLoop.start(vertx, () -> {});
        Thread thread = threadOf(loop);
        assertEquals(PublicLoop.THREAD, thread.getName());
        for (EventExecutor shared : ((VertxInternal) vertx).eventLoopGroup()) {
            assertFalse(shared.inEventLoop(thread), "the public port shares the loop " + shared);
        }
        loop.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aTimerSetOnItRunsOnItAsTheDoorsEvictionsDo() throws Exception {
        PublicLoop loop = PublicLoop.start(vertx, () -> {});
        Thread thread = threadOf(loop);
        CompletableFuture<Thread> fired = new CompletableFuture<>();
        loop.context().runOnContext(v -> vertx.setTimer(1, t -> fired.complete(Thread.currentThread())));
        assertSame(thread, fired.get(10, TimeUnit.SECONDS));
        loop.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void itsThreadEndsWhenItCloses() throws Exception {
        PublicLoop loop = PublicLoop.start(vertx, () -> {});
        Thread thread = threadOf(loop);
        loop.close().await(10, TimeUnit.SECONDS);
        thread.join(10_000);
        assertTrue(!thread.isAlive(), "the public port's loop still runs");
    }

    private static Thread threadOf(PublicLoop loop) throws Exception {
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        loop.context().runOnContext(v -> ran.complete(Thread.currentThread()));
        return ran.get(10, TimeUnit.SECONDS);
    }
}
