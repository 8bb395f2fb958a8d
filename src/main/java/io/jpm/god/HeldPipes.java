package io.jpm.god;

import io.jpm.launcher.Launchers;
import io.jpm.process.ProcessLauncher.DescriptorKeeper;
import java.util.HashMap;
import java.util.Map;

/**
 * The daemon's ends of Node runs' IPC pipes (socket mode) that its keeper holds a duplicate of, so
 * that an app's channel outlives the daemon: a channel that ends makes Node disconnect it, and the
 * app's next process.send throws ERR_IPC_CHANNEL_CLOSED. The next daemon reads the pipe again and
 * deals connections over it (docs/ARCHITECTURE.md, "The keeper"). Thread-safe: held at spawn on a
 * worker, released on God's event loop.
 */
final class HeldPipes {
    private final DescriptorKeeper keeper;
    /** The keeper's key of each pipe it holds ({@code ipc:<pid>:<start ticks>}), by channel. */
    private final Map<Object, String> keys = new HashMap<>();

    HeldPipes(DescriptorKeeper keeper) {
        this.keeper = keeper;
    }

    /** A run spawned with its pipe: the keeper holds the daemon's end {@code daemonEnd} too. */
    synchronized void hold(Object channel, int pid, int daemonEnd) {
        String key = DescriptorKeeper.key("ipc", pid, Launchers.startTicks(pid));
        keeper.hold(key, daemonEnd);
        keys.put(channel, key);
    }

    /** An adopted run's pipe, which the keeper already holds under {@code key}. */
    synchronized void held(Object channel, String key) {
        keys.put(channel, key);
    }

    /** The run's pipe is done with (the run stops or ended): the keeper lets its copy go. */
    synchronized void release(Object channel) {
        String key = keys.remove(channel);
        if (key != null) {
            keeper.release(key);
        }
    }
}
