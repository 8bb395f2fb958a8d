package io.jpm.launcher;

import com.sun.jna.Native;
import com.sun.jna.StringArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * This process becomes another program (execve(2)): same pid, same children, and of its open
 * descriptors only the ones named. How a daemon whose keeper died becomes the keeper itself
 * (docs/ARCHITECTURE.md, "The keeper"): the apps it spawned stay its children, the pipes and
 * sockets the keeper held stay open, and everything else the JVM had open (its sockets, jars, the
 * home's lock) is closed by the exec.
 */
public final class SelfExec {
    private SelfExec() {}

    /**
     * Runs {@code command} in this process with {@code env}, {@code inherited} descriptors left open.
     * Returns only when the exec failed, with why; the process is then as it was, but every other
     * descriptor is marked close-on-exec (for a later exec, harmless until one).
     */
    public static IOException replaceThisProcess(
            List<String> command, Map<String, String> env, Collection<Integer> inherited) {
        if (LibC.closeRangeOnExec(3) != 0 && !markEachOnExec()) {
            return new IOException("cannot mark the daemon's descriptors close-on-exec");
        }
        for (int fd : inherited) {
            LibC.fcntl(fd, LibC.F_SETFD, 0);
        }
        String[] argv = command.toArray(new String[0]);
        String[] envp = env.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        // the new program starts with the calling thread's signal mask: none blocked, as at a spawn
        // NULL-ended arrays of C strings, as execve takes them (direct mapping takes no String[])
        StringArray args = new StringArray(argv);
        StringArray vars = new StringArray(envp);
        int rc = LibC.withEmptySignalMask(() -> LibC.execve(argv[0], args, vars));
        return new IOException("execve " + argv[0] + " failed (" + rc + "): " + LibC.strerror(Native.getLastError()));
    }

    /** Where close_range cannot (Linux before 5.11): each open descriptor from 3 on, from /proc. */
    private static boolean markEachOnExec() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.map(fd -> Integer.parseInt(fd.getFileName().toString()))
                    .filter(fd -> fd > 2)
                    .forEach(fd -> LibC.fcntl(fd, LibC.F_SETFD, LibC.FD_CLOEXEC));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
