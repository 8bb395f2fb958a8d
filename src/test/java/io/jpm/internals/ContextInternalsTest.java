package io.jpm.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each method of ContextInternals against the Vert.x on the class path: an upgrade that moves one fails here. */
class ContextInternalsTest {
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void onLoopRunsOnThatLoop() throws Exception {
        EventLoop loop = (EventLoop) VertxInternals.acceptorLoops(vertx).next();
        Context context = ContextInternals.onLoop(vertx, loop);
        CompletableFuture<Boolean> inLoop = new CompletableFuture<>();
        context.runOnContext(v -> inLoop.complete(loop.inEventLoop()));
        assertTrue(context.isEventLoopContext());
        assertTrue(inLoop.get(10, TimeUnit.SECONDS), "the context's tasks ran off its loop");
    }

    @Test
    void workerRunsOnAWorkerThread() throws Exception {
        Context context = ContextInternals.worker(vertx);
        CompletableFuture<Boolean> onWorker = new CompletableFuture<>();
        context.runOnContext(v -> onWorker.complete(Context.isOnWorkerThread()));
        assertTrue(context.isWorkerContext());
        assertTrue(onWorker.get(10, TimeUnit.SECONDS));
    }

    @Test
    void currentIsTheRunningContext() throws Exception {
        assertNull(ContextInternals.current(), "a plain thread has a current context");
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Context> seen = new CompletableFuture<>();
        context.runOnContext(v -> seen.complete(ContextInternals.current()));
        assertSame(context, seen.get(10, TimeUnit.SECONDS));
    }

    @Test
    void eventLoopIsTheOneTheContextWasPinnedTo() {
        EventLoop loop = (EventLoop) VertxInternals.eventLoops(vertx).next();
        assertSame(loop, ContextInternals.eventLoop(ContextInternals.onLoop(vertx, loop)));
    }

    @Test
    void promiseCallsBackOnItsContext() throws Exception {
        EventLoop loop = (EventLoop) VertxInternals.eventLoops(vertx).next();
        Promise<String> promise = ContextInternals.promise(ContextInternals.onLoop(vertx, loop));
        CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
        promise.future().onComplete(r -> onLoop.complete(loop.inEventLoop()));
        new Thread(() -> promise.complete("done")).start(); // completed off the loop
        assertTrue(onLoop.get(10, TimeUnit.SECONDS), "the callback ran on the completing thread");
    }

    @Test
    void dispatchRunsNowWithTheContextCurrent() {
        Context context = ContextInternals.worker(vertx);
        Thread caller = Thread.currentThread();
        Object[] seen = new Object[2];
        ContextInternals.dispatch(context, v -> {
            seen[0] = Thread.currentThread();
            seen[1] = ContextInternals.current();
        });
        assertEquals(caller, seen[0], "dispatch ran later, elsewhere");
        assertSame(context, seen[1]);
        assertNull(ContextInternals.current(), "the context stayed current after dispatch");
    }
}
