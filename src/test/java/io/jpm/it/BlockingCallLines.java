package io.jpm.it;

import io.jpm.protocol.BlockingCall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ITs' side of {@link BlockingCall}: their daemons run with jpm's assertions on (failsafe sets
 * JPM_DAEMON_ASSERTIONS), so a call that may wait made on an event loop fails there and daemon.log
 * says so; whatever the daemon did with the failure (a reply that never came, a line logged and
 * nothing more), the test that was running fails here, after each test ({@link JpmExtension}) and
 * when its daemon is killed ({@link Jpm#close}).
 */
final class BlockingCallLines {
    /** Lines shown after each of the guard's lines: its stack, down to the handler that called it. */
    private static final int STACK_LINES = 25;

    private final Path log;
    /** daemon.log's lines looked at already. */
    private int seen;

    BlockingCallLines(Path log) {
        this.log = log;
    }

    /** @throws AssertionError with the guard's lines and their stacks, when daemon.log got one since the last look */
    void assertNoneSince(String when) {
        List<String> lines = lines();
        int from = lines.size() < seen ? 0 : seen; // a daemon.log started again
        seen = lines.size();
        List<String> found = new ArrayList<>();
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).contains(BlockingCall.MARK)) {
                found.addAll(lines.subList(i, Math.min(lines.size(), i + STACK_LINES)));
                found.add("...");
                i += STACK_LINES - 1;
            }
        }
        if (!found.isEmpty()) {
            throw new AssertionError("the daemon made a blocking call on an event loop " + when + " (" + log + "):\n"
                    + String.join("\n", found));
        }
    }

    private List<String> lines() {
        try {
            return Files.isRegularFile(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + log, e);
        }
    }
}
