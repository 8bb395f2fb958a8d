package io.jpm.launcher;

/**
 * A thread's nice value, which Linux keeps per thread. The bridge's public port runs on a thread of its own
 * (bridge.PublicLoop) that a local user can keep busy with connections it opens and drops by the thousand;
 * at a higher nice value the kernel's scheduler hands the cores to the daemon's other loops first (the
 * owner's jpm.sock, God), which are idle most of the time, and to the port what is left. Lowering a
 * thread's own priority takes no privilege.
 */
public final class ThreadNice {
    /** Nice 10: a weight of 110 against 1,024 at nice 0 (the kernel's table), about a tenth of a contended core. */
    public static final int YIELDING = 10;

    private static final int PRIO_PROCESS = 0;

    private ThreadNice() {}

    /** The calling thread at nice {@code nice}; false when it could not be (no libc through JNA, or refused). */
    public static boolean setForCurrentThread(int nice) {
        try {
            return LibC.setpriority(PRIO_PROCESS, 0, nice) == 0;
        } catch (LinkageError e) {
            return false; // no native access: the thread keeps the daemon's nice value
        }
    }
}
