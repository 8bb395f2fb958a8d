package io.jpm.daemon;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.Ownership;
import io.jpm.protocol.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The daemon's JPM_HOME before anything starts: made ours, checked, and locked for the daemon's life. */
final class DaemonHome {
    /**
     * The home's lock, held for the JVM's life. A field, not a local of main: main returns while
     * Vert.x runs, and an unreachable lock's channel is closed by its cleaner at the next GC, which
     * released the lock (a second daemon for the same home then started; seen with a 4 MB heap).
     */
    private static FileLock homeLock;

    private DaemonHome() {}

    /** The home made ours and locked; a JpmException says why it cannot be (main prints it and exits). */
    static void prepareAndLock(JpmHome home) throws IOException {
        prepareHome(home);
        FileLock lock = lockHome(home);
        homeLock = lock;
        if (lock == null) {
            throw new JpmException(JpmError.UNAVAILABLE, "another daemon already runs for " + home.root());
        }
    }

    /**
     * JPM_HOME is trusted only if it is ours (docs/SECURITY.md): made 0700 when missing, refused with
     * one line when another user owns it or may write it, a symbolic link, or the same of its logs
     * and pids folders. One ours that others may read (made by an older jpm) is closed to them.
     */
    private static void prepareHome(JpmHome home) throws IOException {
        PrivateFiles.makeHome(home);
        Files.setPosixFilePermissions(home.root(), PosixFilePermissions.fromString("rwx------"));
        int uid = Ownership.currentUid();
        for (Path dir : new Path[] {home.logs(), home.pids()}) {
            PrivateFiles.makeFolder(dir);
            String problem = Ownership.folderProblem("JPM_HOME's folder", dir, uid);
            if (problem != null) {
                throw new JpmException(JpmError.FORBIDDEN, problem);
            }
        }
    }

    /** One daemon per JPM_HOME: the lock is held for the daemon's life and freed by the OS at exit. */
    private static FileLock lockHome(JpmHome home) throws IOException {
        FileChannel channel = PrivateFiles.openLock(home.daemonLock());
        return channel.tryLock();
    }
}
