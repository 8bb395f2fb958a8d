package io.jpm.launcher;

import com.sun.jna.Native;
import java.io.IOException;

/**
 * A child's three pipes as {@link PosixSpawnLauncher} makes them: every end close-on-exec (no other
 * spawn may inherit them; posix_spawn's dup2 clears the flag on the copies at 0-2), the daemon's
 * ends non-blocking for the pump, the child's ends lifted above the descriptors passed to it.
 */
final class Pipes {
    /** stdin, stdout, stderr: the daemon's ends (write, read, read) and the child's. */
    private final int[] parent = {-1, -1, -1};

    private final int[] child = {-1, -1, -1};

    private Pipes() {}

    /** Three pipes whose child ends are all at or above {@code floor}. */
    static Pipes open(int floor) throws IOException {
        Pipes pipes = new Pipes();
        try {
            for (int i = 0; i < 3; i++) {
                int[] fds = new int[2];
                if (LibC.pipe2(fds, LibC.O_CLOEXEC) != 0) {
                    throw new IOException("cannot make a pipe: " + LibC.strerror(Native.getLastError()));
                }
                // stdin: the child reads fds[0]; stdout and stderr: the child writes fds[1]
                pipes.child[i] = i == 0 ? fds[0] : fds[1];
                pipes.parent[i] = i == 0 ? fds[1] : fds[0];
                int lifted = PosixSpawn.lift(pipes.child[i], floor);
                if (lifted != pipes.child[i]) {
                    LibC.close(pipes.child[i]);
                    pipes.child[i] = lifted;
                }
                int flags = LibC.fcntl(pipes.parent[i], LibC.F_GETFL, 0);
                if (flags < 0 || LibC.fcntl(pipes.parent[i], LibC.F_SETFL, flags | LibC.O_NONBLOCK) < 0) {
                    throw new IOException("cannot make a pipe non-blocking: " + LibC.strerror(Native.getLastError()));
                }
            }
        } catch (IOException e) {
            pipes.closeChildEnds();
            pipes.closeParentEnds();
            throw e;
        }
        return pipes;
    }

    int[] childEnds() {
        return child.clone();
    }

    int[] parentEnds() {
        return parent.clone();
    }

    void closeChildEnds() {
        close(child);
    }

    void closeParentEnds() {
        close(parent);
    }

    private static void close(int[] fds) {
        for (int i = 0; i < fds.length; i++) {
            if (fds[i] >= 0) {
                LibC.close(fds[i]);
                fds[i] = -1;
            }
        }
    }
}
