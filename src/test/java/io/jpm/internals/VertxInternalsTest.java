package io.jpm.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.ExecutorServiceFactory;
import io.vertx.core.spi.transport.Transport;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each method of VertxInternals against the Vert.x on the class path: an upgrade that moves one fails here. */
class VertxInternalsTest {
    private static final String CHECKER_THREAD = "vertx-blocked-thread-checker";
    private Vertx vertx;

    @AfterEach
    void close() throws Exception {
        if (vertx != null) {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void createUsesTheGivenPoolsAndThreads() throws Exception {
        AtomicInteger pools = new AtomicInteger();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        ExecutorServiceFactory counting = (threadFactory, concurrency, maxConcurrency) -> {
            pools.incrementAndGet();
            return ExecutorServiceFactory.INSTANCE.createExecutor(threadFactory, concurrency, maxConcurrency);
        };
        vertx = VertxInternals.create(
                new VertxOptions(),
                io.vertx.core.transport.Transport.NIO.implementation(),
                counting,
                ThreadInternals.recording(threads::add));
        Thread ran = vertx.executeBlocking(Thread::currentThread).await(10, TimeUnit.SECONDS);
        assertTrue(pools.get() > 0, "the worker pools were not made by the given factory");
        assertTrue(threads.contains(ran), "a worker thread was not made by the given thread factory");
    }

    @Test
    void closeBlockedThreadCheckerEndsItsThread() throws InterruptedException {
        Set<Thread> before = checkerThreads();
        vertx = Vertx.vertx();
        Set<Thread> own = checkerThreads();
        own.removeAll(before);
        assertEquals(1, own.size(), "a Vert.x has no blocked-thread checker thread of its own");
        Thread checker = own.iterator().next();
        VertxInternals.closeBlockedThreadChecker(vertx);
        checker.join(10_000);
        assertFalse(checker.isAlive(), "the blocked-thread checker's thread is still there");
    }

    @Test
    void cleanerIsVertxsOwn() {
        vertx = Vertx.vertx();
        assertNotNull(VertxInternals.cleaner(vertx));
        assertSame(VertxInternals.cleaner(vertx), VertxInternals.cleaner(vertx));
    }

    @Test
    void eventLoopsAreTheConfiguredLoops() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(3));
        Set<EventExecutor> loops = loops(VertxInternals.eventLoops(vertx));
        assertEquals(3, loops.size());
    }

    @Test
    void acceptorLoopsAreApartFromTheEventLoops() {
        vertx = Vertx.vertx();
        Set<EventExecutor> acceptors = loops(VertxInternals.acceptorLoops(vertx));
        assertFalse(acceptors.isEmpty());
        for (EventExecutor loop : acceptors) {
            assertFalse(loops(VertxInternals.eventLoops(vertx)).contains(loop));
        }
    }

    @Test
    void transportMakesALoopThatRunsATask() throws Exception {
        vertx = Vertx.vertx();
        EventLoopGroup group =
                VertxInternals.transport(vertx).eventLoopGroup(Transport.IO_EVENT_LOOP_GROUP, 1, Thread::new, 50);
        try {
            CompletableFuture<Boolean> ran = new CompletableFuture<>();
            group.next().execute(() -> ran.complete(group.next().inEventLoop()));
            assertTrue(ran.get(10, TimeUnit.SECONDS));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static Set<EventExecutor> loops(EventLoopGroup group) {
        Set<EventExecutor> loops = new HashSet<>();
        group.forEach(loops::add);
        return loops;
    }

    private static Set<Thread> checkerThreads() {
        Set<Thread> threads = new HashSet<>();
        Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(CHECKER_THREAD) && t.isAlive())
                .forEach(threads::add);
        return threads;
    }
}
