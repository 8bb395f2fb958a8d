package io.jpm.launcher;

import io.jpm.process.Signal;

/** kill(2) to a whole process group, for code that did not spawn it (a previous daemon's apps). */
public final class GroupSignals {
    private GroupSignals() {}

    /** @return false when no process of the group is left */
    public static boolean send(int pgid, Signal signal) {
        if (pgid <= 1) {
            return false;
        }
        int rc = LibC.kill(-pgid, signal.number());
        return rc == 0 || LibC.errno() != LibC.ESRCH;
    }
}
