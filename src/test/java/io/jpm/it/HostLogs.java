package io.jpm.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A failed test prints the last lines of each daemon's log, the only account of what the daemons did
 * when it failed on a CI machine: for a class with several hosts, register it on the field holding
 * them ({@code @RegisterExtension final HostLogs logs = new HostLogs(() -> hosts);}).
 */
final class HostLogs implements TestWatcher {
    private static final int TAIL_LINES = 150;

    private final Supplier<List<Jpm>> hosts;

    HostLogs(Supplier<List<Jpm>> hosts) {
        this.hosts = hosts;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        List<Jpm> all = hosts.get();
        if (all != null) {
            all.forEach(host -> printTail(context.getDisplayName(), host.home.resolve("daemon.log")));
        }
    }

    /** The last lines of {@code log} on stdout, under a title naming the test and the file. */
    static void printTail(String test, Path log) {
        if (!Files.isRegularFile(log)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            System.out.println("---- " + test + " failed; the last lines of " + log + ":");
            lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()).forEach(System.out::println);
            System.out.println("----");
        } catch (IOException | UncheckedIOException e) {
            System.out.println("cannot read " + log + ": " + e);
        }
    }
}
