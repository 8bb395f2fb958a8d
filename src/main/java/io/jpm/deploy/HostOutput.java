package io.jpm.deploy;

import java.io.PrintStream;

/**
 * Where one host's lines go: stdout, each line prefixed with the host (padded to the widest host
 * name), so the lines of hosts deploying in parallel stay readable when they interleave. A whole
 * line is printed at once, never a part of one.
 */
final class HostOutput {
    private final PrintStream out;
    private final String prefix;

    HostOutput(PrintStream out, String host, int width) {
        this.out = out;
        this.prefix = host + " ".repeat(Math.max(0, width - host.length())) + " | ";
    }

    /** A line the host's commands printed. */
    void line(String text) {
        out.println(prefix + text);
    }

    /** A step jpm starts, marked as pm2-deploy marks its own lines. */
    void step(String text) {
        out.println(prefix + "○ " + text);
    }
}
