package io.jpm.god;

import io.jpm.process.ProcessLauncher.Adoption;
import io.jpm.protocol.Fields;
import java.util.Map;

/**
 * A run a previous daemon spawned that this one takes over (its keeper started it again, and the
 * run lives on with the pipes the keeper held): which instance, the process and its descriptors
 * here, and what the instance showed (restart counts, pm_uptime, a balanced app's private port); a
 * Node run in socket mode, the daemon's end of its IPC pipe here ({@code ipc}, -1: none).
 */
record AdoptedRun(int pmId, Adoption adoption, int restarts, int unstableRestarts, long startedAt, int port, int ipc) {
    /** One element of the restore's "adopt" array (Addresses.INTERNAL_GOD_RESTORE). */
    static AdoptedRun from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        return new AdoptedRun(
                f.integer("pm_id", -1),
                new Adoption(
                        f.integer("pid", 0),
                        f.whole("start_ticks", 0L),
                        f.integer("stdin", -1),
                        f.integer("stdout", -1),
                        f.integer("stderr", -1)),
                f.integer("restart_time", 0),
                f.integer("unstable_restarts", 0),
                f.whole("pm_uptime", 0L),
                f.integer("port", 0),
                f.integer("ipc", -1));
    }
}
