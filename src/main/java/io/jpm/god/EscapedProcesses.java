package io.jpm.god;

import io.jpm.process.ProcessLauncher.Escaped;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one line that names what a run left holding its output when it exited (a helper it started
 * in a session of its own, see launcher.PipeHolders): in daemon.log, and in the reply of the stop or
 * delete that ended the run.
 */
final class EscapedProcesses {
    private EscapedProcesses() {}

    /**
     * {@code a process that had left the app's process group still held its output after the app
     * exited: pid 812 (sleep 1000), killed}; null for none.
     */
    static String line(List<Escaped> escaped) {
        if (escaped.isEmpty()) {
            return null;
        }
        String who = escaped.size() == 1 ? "a process that" : escaped.size() + " processes that";
        return who + " had left the app's process group still held its output after the app exited: "
                + escaped.stream().map(EscapedProcesses::fate).collect(Collectors.joining("; "));
    }

    private static String fate(Escaped process) {
        return process + (process.killed() ? ", killed" : ", not killed (not ours to kill): its output is read on");
    }
}
