package io.jpm.god;

import io.jpm.process.ProcessLauncher.Adoption;
import io.jpm.process.ProcessLauncher.ExitStatus;
import io.jpm.protocol.Fields;
import java.util.Map;

/**
 * A run a previous daemon spawned that this one adopts (its keeper started it again): which
 * instance, the process and its descriptors here, and what the instance showed (restart counts,
 * pm_uptime, a balanced app's private port). Either the run lives on with the pipes the keeper
 * held ({@code exit} null), or it ended while no daemon ran ({@code exit}: as the keeper reaped it,
 * at {@code exitedAt}; its pipes are still read to their end; {@code exitPending}: gone, its exit
 * still to be told by the keeper), or the previous daemon left the
 * instance waiting restart ({@code adoption} null, its restart due at {@code restartAt}, after
 * {@code exit}). A Node run in socket mode: the daemon's end of its IPC pipe here ({@code ipc}, -1:
 * none); another Node run: the token its jpm-ipc.js connects again with ({@code ipcToken}, null: none).
 */
record AdoptedRun(
        int pmId,
        Adoption adoption,
        Counts counts,
        long startedAt,
        int port,
        ExitStatus exit,
        long exitedAt,
        boolean exitPending,
        long restartAt,
        int ipc,
        String ipcToken) {

    /** The restart policy's counts as the previous daemon had them. */
    record Counts(int restarts, int unstableRestarts, int unstableInARow, long backoffMs) {}

    /** True for an instance adopted waiting restart: no process to adopt, a restart to schedule. */
    boolean waiting() {
        return adoption == null;
    }

    /** One element of the restore's "adopt" array (Addresses.INTERNAL_GOD_RESTORE). */
    static AdoptedRun from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        Fields exit = f.get("exit") instanceof Map<?, ?> ? f.object("exit") : null;
        int signal = exit == null ? 0 : exit.integer("signal", 0);
        ExitStatus status = exit == null
                ? null
                : signal != 0 ? ExitStatus.ofWaitStatus(signal) : ExitStatus.code(exit.integer("code", 0));
        return new AdoptedRun(
                f.integer("pm_id", -1),
                f.get("pid") == null
                        ? null
                        : new Adoption(
                                f.integer("pid", 0),
                                f.whole("start_ticks", 0L),
                                f.integer("stdin", -1),
                                f.integer("stdout", -1),
                                f.integer("stderr", -1),
                                f.integer("out_journal", -1),
                                f.integer("err_journal", -1)),
                new Counts(
                        f.integer("restart_time", 0),
                        f.integer("unstable_restarts", 0),
                        f.integer("unstable_in_a_row", 0),
                        f.whole("backoff_ms", 0L)),
                f.whole("pm_uptime", 0L),
                f.integer("port", 0),
                status,
                exit == null ? 0 : exit.whole("at", 0L),
                Boolean.TRUE.equals(f.get("exit_pending")),
                f.whole("restart_at", 0L),
                f.integer("ipc", -1),
                f.get("ipc_token") instanceof String token ? token : null);
    }
}
