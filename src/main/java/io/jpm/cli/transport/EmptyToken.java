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
 * An empty token file while a daemon runs (a disk that filled during a write, a truncation by hand):
 * no command can reach that daemon, whose token lives only in its memory. {@code jpm kill} stops it
 * by its pid instead, with SIGTERM (its apps stop as on any SIGTERM), and the daemon started next
 * writes a new token. The daemon is the process that holds the home's lock and whose pid the home's
 * jpm.pid names: a pid file left by a dead daemon, or a pid reused since, is never signalled.
 */
public final class EmptyToken {
    private static final String DAEMON_CLASS = "io.jpm.daemon.DaemonMain";

    private EmptyToken() {}

    /** Whether the token file is there, the user's, and holds nothing but white space. */
    static boolean isEmpty(JpmHome home) {
        try {
            return Files.isRegularFile(home.token(), LinkOption.NOFOLLOW_LINKS)
                    && PrivateFiles.read(home.token()).isBlank();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The pid of the daemon a blank token file shuts out; empty when the token has text or no daemon runs. */
    public static OptionalLong shutOutDaemon(JpmHome home) {
        if (!isEmpty(home) || !lockHeld(home)) {
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
        return home.token() + " is empty, so no command can reach the daemon (pid " + pid
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
