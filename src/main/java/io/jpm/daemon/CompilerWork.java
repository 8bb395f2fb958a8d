package io.jpm.daemon;

import io.jpm.protocol.BlockingCall;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU time the JIT's compiler threads have used so far, from /proc (each thread's schedstat, in
 * ns): what {@link NativeHeapTrim} takes as the sign that the JIT compiled, whose arenas glibc keeps.
 * Read from /proc, not from the code cache's memory pool bean, which loads the JVM's management
 * classes ({@link CollectionWatch} says what they cost). File reads: a worker's, never an event loop's.
 *
 * <p>Each thread's name is read once: a look used to read all ~20 names again to find the one or two
 * compiler threads, several looks a minute after a burst. A task id names the same thread as long as
 * it lives (the kernel hands it out again only after it wrapped around all of pid_max).
 */
final class CompilerWork {
    private static final String TASKS = "/proc/self/task";
    /** The JVM's compiler threads, C1's and C2's, as /proc names them (a thread's name cut at 15 bytes). */
    private static final String NAME_PREFIX_C1 = "C1 CompilerThre";

    private static final String NAME_PREFIX_C2 = "C2 CompilerThre";

    /** The threads of the last listing, by task id: whether each is a compiler thread. */
    private Map<String, Boolean> compilers = Map.of();

    /**
     * The ns of CPU this JVM's compiler threads used, those alive now; -1 when /proc does not say. A
     * compiler thread that ended (the JVM ends extra ones when idle) takes its time with it: the sum
     * may fall, which callers take as a new start.
     */
    synchronized long nanos() {
        BlockingCall.check("a read of " + TASKS);
        // File.list, not a DirectoryStream: the daemon's archive holds no directory stream's classes
        String[] tasks = new File(TASKS).list();
        if (tasks == null) {
            return -1;
        }
        Map<String, Boolean> listed = new HashMap<>(2 * tasks.length);
        long sum = -1;
        for (String task : tasks) {
            Path folder = Path.of(TASKS, task);
            Boolean compiler = compilers.get(task);
            if (compiler == null) {
                compiler = isCompiler(folder);
            }
            listed.put(task, compiler);
            long used = compiler ? readRunNanos(folder) : -1;
            if (used >= 0) {
                sum = Math.max(sum, 0) + used;
            }
        }
        compilers = listed;
        return sum;
    }

    /** Whether the thread is one of the JIT's (gone meanwhile: no). */
    private static boolean isCompiler(Path task) {
        try {
            String name = Files.readString(task.resolve("comm"));
            return name.startsWith(NAME_PREFIX_C1) || name.startsWith(NAME_PREFIX_C2);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The thread's run time, -1 when it is gone. */
    private static long readRunNanos(Path task) {
        try {
            return runNanos(Files.readString(task.resolve("schedstat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** schedstat's first field: the ns the thread ran. */
    static long runNanos(String schedstat) {
        String trimmed = schedstat.strip();
        int end = trimmed.indexOf(' ');
        return Long.parseLong(end < 0 ? trimmed : trimmed.substring(0, end));
    }
}
