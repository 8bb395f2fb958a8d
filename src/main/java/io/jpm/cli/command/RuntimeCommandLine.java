package io.jpm.cli.command;

import io.jpm.cli.CliException;
import java.util.ArrayList;
import java.util.List;

/**
 * jpm-runtime's command line (and {@code jpm start ... --no-daemon}'s): its own switches, pm2-runtime's
 * extra options, and the rest, which is {@code jpm start}'s and goes through {@link StartCommand}.
 *
 * @param own the output and lifetime switches given ({@link #OWN_SWITCHES})
 * @param start the words for {@code jpm start}
 * @param delayMs pm2-runtime's {@code --delay}, in ms
 */
record RuntimeCommandLine(List<String> own, List<String> start, long delayMs, boolean help) {
    static final List<String> OWN_SWITCHES =
            List.of("--raw", "--formatted", "--json", "--format", "--no-auto-exit", "--private-home", "--no-daemon");
    static final String USAGE = "usage: jpm-runtime [start] <script|ecosystem file> [start options]"
            + " [--raw|--formatted|--json|--format] [--no-auto-exit] [--private-home] [--delay seconds]";
    static final String HELP = USAGE + "\n"
            + "  the apps' lines raw on stdout/stderr (--formatted: 0|app | line); SIGTERM/SIGINT stop every app, exit 0;\n"
            + "  exit 2 once no app runs (not with --no-auto-exit); --private-home: a fresh JPM_HOME, removed at exit;\n"
            + "  start options: see jpm start --help\n";

    /** @param runtime jpm-runtime (else pm2's --no-daemon, which takes start's words only) */
    static RuntimeCommandLine parse(boolean runtime, List<String> argv, String prefix) {
        List<String> words = new ArrayList<>(argv);
        if (runtime && !words.isEmpty() && words.get(0).equals("start")) {
            words.remove(0); // pm2-runtime takes both `start app.js` and `app.js`
        }
        int end = words.contains("--") ? words.indexOf("--") : words.size();
        List<String> own = new ArrayList<>(words.subList(0, end));
        own.retainAll(OWN_SWITCHES);
        List<String> start = new ArrayList<>(words.subList(0, end));
        start.removeAll(OWN_SWITCHES);
        start.addAll(words.subList(end, words.size()));
        if (runtime && (start.contains("--help") || start.contains("-h"))) {
            return new RuntimeCommandLine(own, start, 0, true);
        }
        long delayMs = runtime ? pm2RuntimeOnly(start, prefix) : 0;
        if (runtime && start.isEmpty()) {
            throw CliException.usage(USAGE);
        }
        return new RuntimeCommandLine(own, start, delayMs, false);
    }

    /**
     * pm2-runtime's own options beyond pm2 start's, taken out of {@code words}: {@code --delay <seconds>}
     * (returned, in ms), pm2.io's keys ({@code --secret}, {@code --public}, {@code --machine-name},
     * accepted and ignored with a line saying so, as a container image may pass them) and
     * {@code --web}, refused with what to use instead.
     */
    private static long pm2RuntimeOnly(List<String> words, String prefix) {
        long delayMs = 0;
        for (int i = 0; i < words.size(); ) {
            String word = words.get(i);
            boolean valued = i + 1 < words.size() && !words.get(i + 1).startsWith("-");
            switch (word) {
                case "--delay" -> {
                    if (!valued || !words.get(i + 1).matches("\\d{1,5}")) {
                        throw CliException.usage("--delay expects a number of seconds, got "
                                + (valued ? "'" + words.get(i + 1) + "'" : "nothing"));
                    }
                    delayMs = Long.parseLong(words.get(i + 1)) * 1000;
                    words.subList(i, i + 2).clear();
                }
                case "--secret", "--public", "--machine-name" -> {
                    System.err.println(
                            prefix + word
                                    + " is a pm2.io key: jpm has no pm2.io link, ignored (jpm events streams the apps' events)");
                    words.subList(i, valued ? i + 2 : i + 1).clear();
                }
                case "--web" -> throw CliException.usage(
                        "--web: pm2-runtime's web API is jpm's HTTP server: set web.enabled (and web.port) in"
                                + " JPM_HOME/jpm.json, or run jpm web against the runtime's JPM_HOME (docs/API.md)");
                default -> i++;
            }
            if (word.equals("--")) {
                break;
            }
        }
        return delayMs;
    }
}
