package io.jpm.daemon;

import io.jpm.launcher.PumpPool;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.logging.Logger;

/** jpm-runtime's leash on a daemon it runs in the foreground: the daemon's stdin, read on the first pump. */
final class ForegroundLeash {
    private static final Logger LOG = Logger.getLogger("jpm.daemon");

    private ForegroundLeash() {}

    /**
     * A daemon run in the foreground by jpm-runtime (or start --no-daemon) reads a pipe from it as
     * stdin: end of file means that process is gone, even SIGKILLed, and the daemon then stops its
     * apps and exits rather than live on as an orphan nobody started.
     */
    static void exitWhenStdinCloses(Runnable exit) {
        FileInputStream stdin = new FileInputStream(FileDescriptor.in); // unbuffered: one read(2) a call
        byte[] sink = new byte[256];
        try {
            PumpPool.watchInput(0, () -> {
                int n;
                try {
                    n = stdin.read(sink); // nothing is ever written: the pipe only says whether its other end lives
                } catch (IOException e) {
                    n = -1; // a broken pipe says the same as end of file
                }
                if (n < 0) {
                    LOG.info("the foreground jpm that started this daemon is gone: stopping");
                    exit.run();
                }
                return n >= 0;
            });
        } catch (IllegalStateException e) {
            LOG.warning("stdin is no pipe (" + e.getMessage() + "): this daemon does not stop when it ends");
        }
    }
}
