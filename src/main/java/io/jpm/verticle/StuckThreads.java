package io.jpm.verticle;

import io.vertx.core.impl.VertxThread;
import java.util.Map;

/**
 * Where the daemon's threads are stuck, for the log line of a hung verticle's redeploy: the stack of
 * every Vert.x thread (event loop or worker) that is not waiting for work. Vert.x's own blocked-
 * thread checker said something like it every second from a thread of its own; the daemon closes
 * that one (issue 31: threads, idle CPU) and says it once, when it matters, and also for a stall the
 * checker cannot see (outside a handler's dispatch, where Vert.x does not time the thread).
 */
final class StuckThreads {
    private static final int MAX_FRAMES = 30;

    private StuckThreads() {}

    /** One paragraph per busy Vert.x thread; empty when every one waits for work. */
    static String busy() {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> e :
                Thread.getAllStackTraces().entrySet()) {
            if (e.getKey() instanceof VertxThread && !waitsForWork(e.getValue())) {
                append(text, e.getKey(), e.getValue());
            }
        }
        return text.toString();
    }

    /** An event loop in its poll, a worker in its pool's queue: idle. */
    private static boolean waitsForWork(StackTraceElement[] stack) {
        for (int i = 0; i < Math.min(stack.length, 8); i++) {
            String frame = stack[i].getClassName() + "." + stack[i].getMethodName();
            if (frame.endsWith("Native.epollWait")
                    || frame.endsWith("Native.epollBusyWait")
                    || frame.contains("SelectorImpl.select")
                    || frame.equals("java.util.concurrent.ThreadPoolExecutor.getTask")) {
                return true;
            }
        }
        return stack.length == 0;
    }

    private static void append(StringBuilder text, Thread thread, StackTraceElement[] stack) {
        text.append("\n  ").append(thread.getName()).append(" is at:");
        for (int i = 0; i < Math.min(stack.length, MAX_FRAMES); i++) {
            text.append("\n    at ").append(stack[i]);
        }
        if (stack.length > MAX_FRAMES) {
            text.append("\n    ... ").append(stack.length - MAX_FRAMES).append(" more");
        }
    }
}
