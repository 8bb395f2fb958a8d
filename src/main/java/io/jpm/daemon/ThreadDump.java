package io.jpm.daemon;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The text of a hang's thread dump for daemon.log: the stuck thread first, then every thread of the
 * JVM with its state, the lock it waits for and who holds it, and its whole stack (ThreadInfo's own
 * text stops at 8 frames), then the collectors' totals, so a reader sees whether collections made up
 * the time. Built only when the daemon is about to exit: the management classes it loads are not
 * loaded before.
 */
final class ThreadDump {
    private ThreadDump() {}

    /**
     * @param stuck the stuck thread's name
     * @param about the line that says what is stuck, for how long
     * @param tasks each Vert.x thread's task, in words ("task for 61234 ms (god)"), by thread name; null when none
     */
    static String of(String stuck, String about, Function<String, String> tasks) {
        ThreadInfo[] all = ManagementFactory.getThreadMXBean().dumpAllThreads(true, true);
        StringBuilder text = new StringBuilder(about);
        Arrays.stream(all)
                .filter(t -> t.getThreadName().equals(stuck))
                .forEach(t -> append(text.append("\nthe stuck thread:"), t, tasks));
        text.append("\nevery thread:");
        Arrays.stream(all)
                .sorted(Comparator.comparing(ThreadInfo::getThreadName))
                .forEach(t -> append(text, t, tasks));
        text.append("\ncollections since the daemon started: ");
        List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        for (GarbageCollectorMXBean gc : collectors) {
            text.append(gc.getName())
                    .append(' ')
                    .append(gc.getCollectionCount())
                    .append(" in ")
                    .append(gc.getCollectionTime())
                    .append(" ms; ");
        }
        return text.toString();
    }

    private static void append(StringBuilder text, ThreadInfo t, Function<String, String> tasks) {
        text.append("\n\"").append(t.getThreadName()).append("\" ").append(t.getThreadState());
        String task = tasks.apply(t.getThreadName());
        if (task != null) {
            text.append(", ").append(task);
        }
        if (t.getLockInfo() != null) {
            text.append(", waiting for ").append(t.getLockInfo());
            if (t.getLockOwnerName() != null) {
                text.append(" held by \"").append(t.getLockOwnerName()).append('"');
            }
        }
        StackTraceElement[] stack = t.getStackTrace();
        for (int i = 0; i < stack.length; i++) {
            text.append("\n    at ").append(stack[i]);
            for (MonitorInfo monitor : t.getLockedMonitors()) {
                if (monitor.getLockedStackDepth() == i) {
                    text.append("\n    - locked ").append(monitor);
                }
            }
        }
        for (LockInfo sync : t.getLockedSynchronizers()) {
            text.append("\n    - holds ").append(sync);
        }
    }
}
