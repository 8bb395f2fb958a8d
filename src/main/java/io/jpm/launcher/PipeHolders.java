package io.jpm.launcher;

import com.zaxxer.nuprocess.NuProcess;
import com.zaxxer.nuprocess.internal.BasePosixProcess;
import com.zaxxer.nuprocess.internal.ReferenceCountedFileDescriptor;
import io.jpm.process.ProcStat;
import io.jpm.process.ProcessLauncher.Escaped;
import io.jpm.process.Signal;
import io.jpm.protocol.BlockingCall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The processes that still hold a child's stdout or stderr pipe after its main process exited and
 * its group was killed: they had left the group (setsid, setpgid: a script that daemonizes a
 * helper), so the group's SIGKILL missed them, and the pipe never ends while they live. Found
 * through {@code /proc/<pid>/fd}, where a pipe shows as {@code pipe:[inode]}; read only for such a
 * child, which is rare, never on a spawn's or an exit's usual path.
 */
final class PipeHolders {
    private static final Path PROC = Path.of("/proc");
    private static final int COMMAND_CHARS = 120;
    private static final long SELF = ProcessHandle.current().pid();

    private PipeHolders() {}

    /**
     * The pipe whose end is our descriptor {@code fd}, as /proc names it ({@code pipe:[inode]}), or
     * null. Read while the descriptor is surely ours (at the spawn): later it may be closed, and its
     * number reused for another file.
     */
    static String pipeOf(int fd) {
        BlockingCall.check("a read of /proc/self/fd/" + fd);
        try {
            String link = Files.readSymbolicLink(PROC.resolve("self/fd/" + fd)).toString();
            return link.startsWith("pipe:") ? link : null;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** The pipes of a NuProcess child's stdout and stderr (see {@link #pipeOf}). */
    static Set<String> pipesOf(NuProcess process) {
        Set<String> pipes = new HashSet<>();
        if (process instanceof BasePosixProcess posix) {
            for (ReferenceCountedFileDescriptor pipe :
                    new ReferenceCountedFileDescriptor[] {posix.getStdout(), posix.getStderr()}) {
                int fd = pipe == null ? -1 : pipe.acquire();
                if (fd >= 0) {
                    try {
                        String name = pipeOf(fd);
                        if (name != null) {
                            pipes.add(name);
                        }
                    } finally {
                        pipe.release();
                    }
                }
            }
        }
        return pipes;
    }

    /**
     * Kills (SIGKILL) every process but the daemon that holds one of {@code pipes} outside process
     * group {@code pgid}; those in it are the group's, dying of its SIGKILL. {@code known} (found by
     * an earlier call), with what this one found added, and whether each could be killed.
     */
    static List<Escaped> killEscaped(Set<String> pipes, int pgid, List<Escaped> known) {
        BlockingCall.check("a look at every /proc/<pid>/fd");
        List<Escaped> escaped = new ArrayList<>(known);
        if (pipes.isEmpty()) {
            return escaped;
        }
        Set<Integer> seen = new HashSet<>();
        known.forEach(e -> seen.add(e.pid()));
        try (DirectoryStream<Path> all = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path process : all) {
                int pid = Integer.parseInt(process.getFileName().toString());
                if (pid == SELF || seen.contains(pid) || !holds(process, pipes)) {
                    continue;
                }
                ProcStat stat = ProcStat.read(pid);
                if (stat != null && stat.pgrp() != pgid) {
                    escaped.add(new Escaped(pid, commandOf(process), kill(pid, process, pipes)));
                }
            }
        } catch (IOException | RuntimeException e) {
            // /proc unreadable: nothing more found, the exit is reported all the same
        }
        return escaped;
    }

    /**
     * Whether process {@code process} has one of {@code pipes} open for writing (false when we may not
     * look): only a writer keeps a pipe from ending. A reader is not one: the daemon's keeper holds the
     * read ends of every app's pipes (docs/ARCHITECTURE.md, "The keeper").
     */
    private static boolean holds(Path process, Set<String> pipes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (pipes.contains(Files.readSymbolicLink(fd).toString())
                            && writable(process.resolve("fdinfo")
                                    .resolve(fd.getFileName().toString()))) {
                        return true;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or another user's
        }
        return false;
    }

    /** Whether the descriptor /proc shows in {@code fdinfo} is open for writing (O_WRONLY or O_RDWR). */
    private static boolean writable(Path fdinfo) throws IOException {
        for (String line : Files.readAllLines(fdinfo)) {
            if (line.startsWith("flags:")) {
                return (Integer.parseInt(line.substring("flags:".length()).trim(), 8) & 3) != 0;
            }
        }
        return true; // no flags line to tell: counted, as any holder was before
    }

    /**
     * SIGKILL through a pidfd, taken before the holder is checked once more: should it have exited
     * since the scan and its pid gone to another process, the check fails and nothing is sent.
     */
    private static boolean kill(int pid, Path process, Set<String> pipes) {
        int pidfd = LibC.pidfdOpen(pid);
        if (pidfd < 0) {
            return false;
        }
        try {
            return holds(process, pipes) && LibC.pidfdSendSignal(pidfd, Signal.SIGKILL.number()) == 0;
        } finally {
            LibC.close(pidfd);
        }
    }

    /** Its command line, arguments joined by spaces and cut short; its name when it has none. */
    private static String commandOf(Path process) {
        String command = read(process.resolve("cmdline")).replace('\0', ' ').strip();
        if (command.isEmpty()) {
            command = read(process.resolve("comm")).strip();
        }
        return command.length() > COMMAND_CHARS ? command.substring(0, COMMAND_CHARS) + "..." : command;
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return ""; // gone meanwhile
        }
    }
}
