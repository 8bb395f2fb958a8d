package io.jpm.daemon;

import io.vertx.core.impl.VertxThread;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.spi.VertxThreadFactory;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Every thread of the daemon's Vert.x (event loops, workers, the internal blocking pool, the
 * acceptor), recorded as Vert.x makes it, and what each is doing now, for the hang check: when its
 * current task began ({@code VertxThread.startTime()}, Vert.x's own measure) and which verticle it
 * runs it for. Vert.x registers the same threads with its blocked-thread checker, which the daemon
 * closes (DaemonMain), and that registry is not public.
 *
 * <p>The verticle is the deployment of the context the thread dispatches, read from Vert.x's
 * package-private {@code VertxThread.context} (checked on 5.0.10); should that field go, the
 * verticle is unknown and the check works on.
 */
final class VertxThreads implements VertxThreadFactory {
    private static final Logger LOG = Logger.getLogger("jpm.daemon");
    private static final Field CONTEXT = contextField();

    /** Alive or not yet seen ended: worker threads end when idle (IdleEndingPools) and are dropped at the next look. */
    private final Set<VertxThread> threads = ConcurrentHashMap.newKeySet();
    /** The daemon's deployments' names, by deployment id ("god", "logs", ...). */
    private final Map<String, String> verticles = new ConcurrentHashMap<>();

    @Override
    public VertxThread newVertxThread(
            Runnable target, String name, boolean worker, long maxExecTime, TimeUnit maxExecTimeUnit) {
        VertxThread thread = new VertxThread(target, name, worker, maxExecTime, maxExecTimeUnit);
        threads.add(thread);
        return thread;
    }

    /** The deployment {@code id} is the verticle {@code name}. */
    void named(String id, String name) {
        verticles.put(id, name);
    }

    /** The names given to deployments so far. */
    Collection<String> names() {
        return verticles.values();
    }

    /** What every Vert.x thread but the caller's is doing now. */
    List<HangCheck.Task> tasks() {
        threads.removeIf(t -> t.getState() == Thread.State.TERMINATED);
        List<HangCheck.Task> tasks = new ArrayList<>(threads.size());
        for (VertxThread thread : threads) {
            if (thread != Thread.currentThread()) {
                long start = thread.startTime();
                tasks.add(new HangCheck.Task(thread.getName(), start, start == 0 ? null : verticleOf(thread)));
            }
        }
        return tasks;
    }

    /** The verticle a thread is running a task for now, null when unknown. */
    String verticleOf(Thread thread) {
        if (CONTEXT == null || !(thread instanceof VertxThread)) {
            return null;
        }
        try {
            Object context = CONTEXT.get(thread); // another thread's field: a stale read is a stale name
            if (!(context instanceof ContextInternal c) || c.deployment() == null) {
                return null;
            }
            String name = verticles.get(c.deployment().id());
            return name != null ? name : simpleName(c.deployment().deployment().identifier());
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    /** "java:io.jpm.web.WebServerVerticle" -> "WebServerVerticle": a deployment the daemon did not name (a child's). */
    /** Whether the hang check can name a thread's verticle (VertxThread.context is where it was). */
    static boolean namesVerticles() {
        return CONTEXT != null;
    }

    private static String simpleName(String identifier) {
        return identifier == null ? null : identifier.substring(identifier.lastIndexOf('.') + 1);
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
