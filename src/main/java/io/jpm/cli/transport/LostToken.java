package io.jpm.cli.transport;

import io.jpm.protocol.JpmHome;
import io.jpm.protocol.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalLong;

/**
 * An empty or missing token file while a daemon runs (a disk that filled during a write, a truncation
 * or a removal by hand): no command can reach that daemon, whose token lives only in its memory.
 * {@code jpm kill} stops it by its pid instead, with SIGTERM (its apps stop as on any SIGTERM), and
 * the daemon started next writes a new token. The daemon is the process that holds the home's lock
 * and whose pid the home's jpm.pid names: a pid file left by a dead daemon, or a pid reused since, is
 * never signalled.
 */
public final class LostToken {
    private static final String DAEMON_CLASS = "io.jpm.daemon.DaemonMain";

    private LostToken() {}

    /** What is wrong with the token file: "is empty", "is missing", or null when it holds a token. */
    public static String problemWith(JpmHome home) {
        try {
            if (!Files.exists(home.token(), LinkOption.NOFOLLOW_LINKS)) {
                return "is missing";
            }
            return Files.isRegularFile(home.token(), LinkOption.NOFOLLOW_LINKS)
                            && PrivateFiles.read(home.token()).isBlank()
                    ? "is empty"
                    : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The pid of the daemon a lost token shuts out; empty when the token is there or no daemon runs. */
    public static OptionalLong shutOutDaemon(JpmHome home) {
        if (problemWith(home) == null || !lockHeld(home)) {
            return OptionalLong.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(home.pidFile()).trim());
            boolean daemon = ProcessHandle.of(pid)
                    .flatMap(p -> p.info().arguments())
                    .map(List::of)
                    .map(arguments -> arguments.contains(DAEMON_CLASS))
                    .orElse(false);
            return daemon ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The one line a command prints when the token file shuts it out of the daemon {@code pid}. */
    static String problem(JpmHome home, long pid) {
        return home.token() + " " + problemWith(home) + ", so no command can reach the daemon (pid " + pid
                + ") that holds the token: run `jpm kill` to stop it by its pid (its apps stop with it);"
                + " the next daemon writes a new token";
    }

    /** Whether a daemon holds the home's lock (it does for as long as it runs). */
    private static boolean lockHeld(JpmHome home) {
        Path lockFile = home.daemonLock();
        if (!Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock free = channel.tryLock();
            if (free == null) {
                return true;
            }
            free.release();
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
