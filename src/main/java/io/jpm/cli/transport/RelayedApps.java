package io.jpm.cli.transport;

import io.jpm.protocol.JpmHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Whether the daemon about to start will relay its apps' traffic: an instance with a private port
 * (the balancer's TCP and HTTP modes; socket mode and fork apps have none) in the daemon's record of
 * what runs (state.json: a daemon that crashed or is being updated), or in the user's dump, which a
 * resurrect at boot restores. Such a daemon gets C2 ({@link DaemonJvm#RELAY_JIT_FLAGS}); the rest run
 * C1 only. A file that cannot be read says no: the daemon reports it, not the client.
 */
final class RelayedApps {
    /** Deep enough for pm2's dump format, which holds jpm's entry (with its processes) inside a process. */
    private static final int MAX_DEPTH = 6;

    private RelayedApps() {}

    static boolean in(JpmHome home) {
        return anyPrivatePort(home.recoveryState()) || anyPrivatePort(home.dump());
    }

    static boolean anyPrivatePort(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            return privatePortIn(Json.parse(Files.readAllBytes(file)).raw, 0);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A {@code processes} list (protocol.DumpEntry.Running) with an entry whose {@code port} is above 0. */
    private static boolean privatePortIn(Object node, int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        if (node instanceof List<?> list) {
            return list.stream().anyMatch(item -> privatePortIn(item, depth + 1));
        }
        if (!(node instanceof Map<?, ?> map)) {
            return false;
        }
        if (map.get("processes") instanceof List<?> processes
                && processes.stream()
                        .anyMatch(p -> p instanceof Map<?, ?> run
                                && run.get("port") instanceof Number n
                                && n.intValue() > 0)) {
            return true;
        }
        return map.values().stream().anyMatch(value -> privatePortIn(value, depth + 1));
    }
}
