package io.jpm.daemon;

import io.jpm.launcher.Launchers;
import io.jpm.protocol.JpmEnv;
import java.util.logging.Logger;

/**
 * What the daemon's start needs later, loaded on a second thread while the main thread locks the
 * home, reads the keeper's inventory and jpm.json and creates Vert.x (the machine's other core
 * would idle meanwhile), in the order the main thread needs them: Netty's epoll library (from native/
 * beside the jar, cli.startup.NativeLibraries, else unpacked from the jar into a temporary
 * file) and JNA with libc's calls (God's launcher). A thread that gets there
 * first waits for a class this one is initializing, and uses it: none of these classes' initializers
 * reaches a class of Vert.x or jpm, so neither thread can wait for the other in a cycle.
 */
final class StartWarmUp {
    private static final Logger LOG = Logger.getLogger("jpm.daemon");

    private StartWarmUp() {}

    static void begin() {
        Thread warmUp = new Thread(StartWarmUp::run, "jpm-start-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    private static void run() {
        try {
            if (!JpmEnv.NATIVE_TRANSPORT.off()) {
                // its initializer loads the library (a runtime dependency: no import of it)
                Class.forName("io.netty.channel.epoll.Epoll", true, StartWarmUp.class.getClassLoader());
            }
            Launchers.prepare();
            StartTimeline.mark("warm-up done");
        } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
            // the thread that needs it meets the same failure, and says what it means; this keeps the cause
            LOG.warning("loading the launcher ahead of the start failed: " + e);
        }
    }
}
