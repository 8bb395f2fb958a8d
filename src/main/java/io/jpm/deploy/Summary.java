package io.jpm.deploy;

import java.io.PrintStream;
import java.util.List;

/** The table printed once every host is done: host, ok or failed, what was done or which step failed and why. */
final class Summary {
    private Summary() {}

    static void print(PrintStream out, List<HostResult> results) {
        int width = "host".length();
        for (HostResult r : results) {
            width = Math.max(width, r.host().length());
        }
        out.println(pad("host", width) + "  status  detail");
        for (HostResult r : results) {
            out.println(pad(r.host(), width) + "  " + (r.succeeded() ? "ok    " : "failed") + "  "
                    + (r.succeeded() ? r.detail() : r.step() + ": " + r.detail()));
        }
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
