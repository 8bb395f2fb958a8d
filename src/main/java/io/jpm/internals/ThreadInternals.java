package io.jpm.internals;

import io.vertx.core.impl.VertxThread;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.spi.VertxThreadFactory;
import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Vert.x's threads as the daemon's hang check reads them (checked on Vert.x 5.0.10): when each one's
 * current task began and for which deployment. The deployment is read from the package-private
 * {@code VertxThread.context}; should that field go, it is unknown and the check works on.
 */
public final class ThreadInternals {
    private static final Logger LOG = Logger.getLogger("jpm.daemon");
    private static final Field CONTEXT = contextField();

    /** A deployment as the hang check names it: its id, and the identifier it was deployed by. */
    public record Deployment(String id, String identifier) {}

    private ThreadInternals() {}

    /**
     * Vert.x's own threads, each handed to {@code made} as it is made. Why: Vert.x registers its threads
     * with the blocked-thread checker only, whose registry is not public, and the hang check needs them.
     */
    public static VertxThreadFactory recording(Consumer<Thread> made) {
        return new VertxThreadFactory() {
            @Override
            public VertxThread newVertxThread(
                    Runnable target, String name, boolean worker, long maxExecTime, TimeUnit unit) {
                VertxThread thread = new VertxThread(target, name, worker, maxExecTime, unit);
                made.accept(thread);
                return thread;
            }
        };
    }

    /**
     * An event-loop thread Vert.x treats as its own. Why: a Netty loop made outside Vert.x (the bridge's
     * public port's) on a plain thread would have no current context for its timers and handlers.
     */
    public static Thread eventLoopThread(Runnable task, String name, long maxExecSeconds) {
        return new VertxThread(task, name, false, maxExecSeconds, TimeUnit.SECONDS);
    }

    /** When the task a Vert.x thread runs began (System.nanoTime), 0 when idle or not a Vert.x thread. Why: Vert.x's own measure. */
    public static long taskStart(Thread thread) {
        return thread instanceof VertxThread t ? t.startTime() : 0;
    }

    /** The deployment whose task {@code thread} runs now, null when unknown. Why: a hang dump names the verticle. */
    public static Deployment deploymentOf(Thread thread) {
        if (CONTEXT == null || !(thread instanceof VertxThread)) {
            return null;
        }
        try {
            Object context = CONTEXT.get(thread); // another thread's field: a stale read is a stale name
            if (!(context instanceof ContextInternal c) || c.deployment() == null) {
                return null;
            }
            return new Deployment(
                    c.deployment().id(), c.deployment().deployment().identifier());
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    /** Whether {@link #deploymentOf} can tell (VertxThread.context is where it was). */
    public static boolean readsDeployments() {
        return CONTEXT != null;
    }

    private static Field contextField() {
        try {
            Field field = VertxThread.class.getDeclaredField("context");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning(() -> "the hang check cannot tell which verticle a thread runs (" + e + "): it names none");
            return null;
        }
    }
}
