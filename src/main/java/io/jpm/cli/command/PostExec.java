package io.jpm.cli.command;

import java.io.File;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * pm2-dev's {@code --post-exec}: a command run by {@code sh -c} from jpm-dev's own process (its
 * folder, its environment), not by the daemon, which has no such mechanism: jpm-dev sees every
 * process event anyway. Run each time a run the file watch restarted is online again; its output
 * goes to jpm-dev's stdout and stderr, or nowhere with {@code --silent-exec}. Not waited for, as
 * pm2-dev's exec; one still running when jpm-dev stops is ended with it.
 */
final class PostExec {
    private final String command;
    private final boolean silent;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    PostExec(String command, boolean silent) {
        this.command = command;
        this.silent = silent;
    }

    void run() {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command).redirectInput(new File("/dev/null"));
        if (silent) {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        } else {
            builder.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        try {
            Process process = builder.start();
            running.add(process);
            process.onExit().thenRun(() -> running.remove(process));
        } catch (IOException e) {
            System.err.println("jpm-dev: --post-exec: cannot run sh: " + e.getMessage());
        }
    }

    /** Ends the commands still running, and what they started. */
    void stop() {
        for (Process process : running) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
    }
}
