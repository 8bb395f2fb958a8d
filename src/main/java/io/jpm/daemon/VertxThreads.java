package io.jpm.daemon;

import io.jpm.internals.ThreadInternals;
import io.vertx.core.spi.VertxThreadFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every thread of the daemon's Vert.x (event loops, workers, the internal blocking pool, the
 * acceptor), recorded as Vert.x makes it, and what each is doing now, for the hang check: when its
 * current task began (Vert.x's own measure) and which verticle it runs it for. Vert.x registers the
 * same threads with its blocked-thread checker, which the daemon closes (DaemonMain), and that
 * registry is not public: both read through io.jpm.internals.ThreadInternals, which says why.
 * Should the verticle be unknown there, the check works on without its name.
 */
final class VertxThreads {
    /** Alive or not yet seen ended: worker threads end when idle (IdleEndingPools) and are dropped at the next look. */
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    /** The daemon's deployments' names, by deployment id ("god", "logs", ...). */
    private final Map<String, String> verticles = new ConcurrentHashMap<>();

    /** The factory the daemon's Vert.x makes its threads with: each is recorded here. */
    VertxThreadFactory factory() {
        return ThreadInternals.recording(threads::add);
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
        for (Thread thread : threads) {
            if (thread != Thread.currentThread()) {
                long start = ThreadInternals.taskStart(thread);
                tasks.add(new HangCheck.Task(thread.getName(), start, start == 0 ? null : verticleOf(thread)));
            }
        }
        return tasks;
    }

    /** The verticle a thread is running a task for now, null when unknown. */
    String verticleOf(Thread thread) {
        ThreadInternals.Deployment deployment = ThreadInternals.deploymentOf(thread);
        if (deployment == null) {
            return null;
        }
        String name = verticles.get(deployment.id());
        return name != null ? name : simpleName(deployment.identifier());
    }

    /** "java:io.jpm.web.WebServerVerticle" -> "WebServerVerticle": a deployment the daemon did not name (a child's). */
    private static String simpleName(String identifier) {
        return identifier == null ? null : identifier.substring(identifier.lastIndexOf('.') + 1);
    }
}
