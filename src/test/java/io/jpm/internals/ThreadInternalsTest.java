package io.jpm.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.ExecutorServiceFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each method of ThreadInternals against the Vert.x on the class path: an upgrade that moves one fails here. */
class ThreadInternalsTest {
    private static final List<Thread> MADE = new CopyOnWriteArrayList<>();
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = VertxInternals.create(
                new VertxOptions(),
                io.vertx.core.transport.Transport.NIO.implementation(),
                ExecutorServiceFactory.INSTANCE,
                ThreadInternals.recording(MADE::add));
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    /** Holds a task on its loop until released, handing out the thread that runs it. */
    private static final class Holding extends VerticleBase {
        final CompletableFuture<Thread> running = new CompletableFuture<>();
        final CountDownLatch release = new CountDownLatch(1);
        volatile String id;

        @Override
        public Future<?> start() throws Exception {
            id = context.deploymentID();
            // held after the start: the deployment completes on this loop only once it is released
            context.runOnContext(v -> {
                running.complete(Thread.currentThread());
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            return super.start();
        }
    }

    @Test
    void recordingSeesTheEventLoops() throws Exception {
        CompletableFuture<Thread> loop = new CompletableFuture<>();
        vertx.runOnContext(v -> loop.complete(Thread.currentThread()));
        assertTrue(MADE.contains(loop.get(10, TimeUnit.SECONDS)), "an event loop was not made by the factory");
    }

    @Test
    void eventLoopThreadIsAVertxThread() throws InterruptedException {
        boolean[] onVertx = new boolean[1];
        Thread thread = ThreadInternals.eventLoopThread(() -> onVertx[0] = Context.isOnVertxThread(), "test-loop", 2);
        thread.start();
        thread.join(10_000);
        assertTrue(onVertx[0], "Vert.x does not take it for one of its threads");
    }

    @Test
    void taskStartIsSetWhileATaskRuns() throws Exception {
        Holding verticle = new Holding();
        Future<String> deployed = vertx.deployVerticle(verticle);
        Thread thread = verticle.running.get(10, TimeUnit.SECONDS);
        try {
            assertNotEquals(0L, ThreadInternals.taskStart(thread), "a running task has no start time");
        } finally {
            verticle.release.countDown();
        }
        deployed.await(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ThreadInternals.taskStart(thread) != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0L, ThreadInternals.taskStart(thread), "an idle loop still has a task start");
        assertEquals(0L, ThreadInternals.taskStart(Thread.currentThread()), "a plain thread has a task start");
    }

    @Test
    void deploymentOfNamesTheRunningVerticle() throws Exception {
        assertTrue(ThreadInternals.readsDeployments(), "VertxThread.context is gone: hang dumps name no verticle");
        Holding verticle = new Holding();
        Future<String> deployed = vertx.deployVerticle(verticle);
        Thread thread = verticle.running.get(10, TimeUnit.SECONDS);
        try {
            ThreadInternals.Deployment deployment = ThreadInternals.deploymentOf(thread);
            assertNotNull(deployment, "the thread's context names no deployment");
            assertEquals(verticle.id, deployment.id());
            assertTrue(deployment.identifier().endsWith("Holding"), deployment.identifier());
        } finally {
            verticle.release.countDown();
        }
        assertEquals(verticle.id, deployed.await(10, TimeUnit.SECONDS));
        assertNull(ThreadInternals.deploymentOf(Thread.currentThread()));
    }
}
