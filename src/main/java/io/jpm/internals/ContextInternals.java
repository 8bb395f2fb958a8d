package io.jpm.internals;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

/** What jpm does with Vert.x contexts beyond the public {@link Context} (checked on Vert.x 5.0.10). */
public final class ContextInternals {
    private ContextInternals() {}

    /**
     * An event-loop context pinned to {@code loop}. Why: the public API picks the loop itself; the
     * balancer wants a lane on each loop, the hang check the acceptor's, the bridge a loop of its own.
     */
    public static Context onLoop(Vertx vertx, EventLoop loop) {
        return ((VertxInternal) vertx)
                .contextBuilder()
                .withThreadingModel(ThreadingModel.EVENT_LOOP)
                .withEventLoop(loop)
                .build();
    }

    /** A worker context of its own. Why: the config watcher's scans run in order off the event loops, outside any verticle. */
    public static Context worker(Vertx vertx) {
        return ((VertxInternal) vertx).createWorkerContext();
    }

    /** The context of the calling thread, null when none. Why: {@code Vertx.currentContext()} needs the Vertx, a balanced app has none. */
    public static Context current() {
        return ContextInternal.current();
    }

    /** The Netty loop a context runs on. Why: the HTTP relay's instance connections are made on its lane's loop. */
    public static EventLoop eventLoop(Context context) {
        return ((ContextInternal) context).nettyEventLoop();
    }

    /**
     * A promise whose callbacks run on {@code context}. Why: {@code Promise.promise()} runs them on
     * whichever thread completes it, and a balancer lane's state is touched on its own loop only.
     */
    public static <T> Promise<T> promise(Context context) {
        return ((ContextInternal) context).promise();
    }

    /**
     * Runs {@code handler} now, on this thread, with {@code context} as the current one. Why: vertx-config's
     * retriever binds to the context current at its creation, and the watcher's must be its scans'.
     */
    public static void dispatch(Context context, Handler<Void> handler) {
        ((ContextInternal) context).dispatch(handler);
    }
}
