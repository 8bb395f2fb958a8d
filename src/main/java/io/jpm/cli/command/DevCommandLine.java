package io.jpm.cli.command;

import io.jpm.cli.CliException;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.StartRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * jpm-dev's command line, pm2-dev's: {@code [start] <script|ecosystem file>} with pm2-dev's own
 * switches taken out here, and the rest for {@code jpm start} (pm2-dev's {@code --node-args},
 * {@code --interpreter} and {@code --env name} are start's too, with the same meaning; any other
 * start option works as with jpm start, where pm2-dev ignores what it does not know).
 *
 * Built once, by {@link #parse} from named locals: no builder (RecordShapeTest lists it).
 *
 * @param start the words for jpm start
 * @param ignore {@code --ignore}'s paths, null when not given
 * @param postExec {@code --post-exec}'s command, null when not given
 */
record DevCommandLine(
        List<String> start,
        boolean raw,
        boolean timestamp,
        List<String> ignore,
        String postExec,
        boolean silentExec,
        boolean testMode,
        boolean autoExit,
        boolean help) {
    /** pm2-dev's home is ~/.pm2-dev, beside pm2's ~/.pm2: the apps of a development session never mix with jpm's. */
    static final String DEFAULT_HOME = ".jpm-dev";
    /** pm2-dev ignores node_modules whatever --ignore says. */
    private static final String NODE_MODULES = "node_modules";

    static final String USAGE = "usage: jpm-dev [start] <script|ecosystem file> [--raw] [--timestamp] [--ignore a,b]"
            + " [--post-exec cmd] [--silent-exec] [--auto-exit] [--test-mode] [--node-args a] [--interpreter x] [--env name]"
            + " [start options] [-- args]";
    static final String HELP = USAGE + "\n"
            + "  runs the apps in the foreground with watching on (a change restarts the app; node_modules ignored), their\n"
            + "  lines on stdout (--raw: as written, stderr's on stderr; --timestamp: the time first); Ctrl-C or SIGTERM\n"
            + "  stops every app and the daemon, exit 0. JPM_HOME, default ~/.jpm-dev.\n"
            + "  --ignore a,b: not watched; --post-exec cmd: run by sh after each restart a file change caused (--silent-exec:\n"
            + "  its output dropped); --auto-exit: exit 1 once no app runs; --test-mode: start the apps under a background\n"
            + "  daemon and return. start options: see jpm start --help\n";

    static DevCommandLine parse(List<String> argv) {
        List<String> words = new ArrayList<>(argv);
        if (!words.isEmpty() && words.get(0).equals("start")) {
            words.remove(0); // pm2-dev takes both `start app.json` and `app.json`
        }
        int end = words.contains("--") ? words.indexOf("--") : words.size();
        List<String> start = new ArrayList<>();
        boolean raw = false;
        boolean timestamp = false;
        boolean silentExec = false;
        boolean testMode = false;
        boolean autoExit = false;
        boolean help = false;
        List<String> ignore = null;
        String postExec = null;
        for (int i = 0; i < end; i++) {
            String word = words.get(i);
            int eq = word.startsWith("--") ? word.indexOf('=') : -1;
            String name = eq < 0 ? word : word.substring(0, eq);
            switch (name) {
                case "--raw" -> raw = true;
                case "--timestamp" -> timestamp = true;
                case "--silent-exec" -> silentExec = true;
                case "--test-mode" -> testMode = true;
                case "--auto-exit" -> autoExit = true;
                case "-h", "--help" -> help = true;
                case "--ignore", "--post-exec" -> {
                    String value = eq >= 0
                            ? word.substring(eq + 1)
                            : i + 1 < end && !words.get(i + 1).startsWith("-") ? words.get(++i) : "";
                    if (value.isBlank()) {
                        throw CliException.usage(name + " expects "
                                + (name.equals("--ignore") ? "the paths not to watch (a,b)" : "a command"));
                    }
                    if (name.equals("--ignore")) {
                        ignore = List.of(value.split("\\s*,\\s*")).stream()
                                .filter(p -> !p.isBlank())
                                .toList();
                    } else {
                        postExec = value;
                    }
                }
                default -> start.add(word);
            }
        }
        start.addAll(words.subList(end, words.size()));
        if (!help && start.isEmpty()) {
            throw CliException.usage(USAGE);
        }
        return new DevCommandLine(start, raw, timestamp, ignore, postExec, silentExec, testMode, autoExit, help);
    }

    /**
     * The start request with pm2-dev's watch for every app: a script watches its folder (unless its
     * own {@code --watch=paths} says what), with {@code --ignore}'s paths; an ecosystem file's apps that
     * do not watch by themselves watch theirs, and those without an {@code ignore_watch} get
     * {@code --ignore}'s, as pm2-dev gives them.
     */
    @SuppressWarnings("unchecked")
    StartRequest watching(StartRequest request) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("watch", true);
        if (ignore != null) {
            defaults.put(AppOption.IGNORE_WATCH.key, ignoreWatch());
        }
        if (request.file() != null) {
            return request.withFileDefaults(defaults);
        }
        if (request.apps().size() != 1 || !(request.apps().get(0) instanceof Map<?, ?> given)) {
            throw CliException.usage("jpm-dev runs a script or an ecosystem file");
        }
        Map<String, Object> app = new LinkedHashMap<>((Map<String, Object>) given);
        app.putIfAbsent("watch", true);
        if (ignore != null) {
            List<Object> ignored =
                    new ArrayList<>(app.get(AppOption.IGNORE_WATCH.key) instanceof List<?> own ? own : List.of());
            ignored.addAll(ignoreWatch());
            app.put(AppOption.IGNORE_WATCH.key, ignored);
        }
        return request.withApps(List.of(app));
    }

    /** What the banner says is ignored: --ignore's paths and node_modules, as pm2-dev's. */
    String ignored() {
        return ignore == null ? NODE_MODULES : String.join(",", ignoreWatch());
    }

    private List<String> ignoreWatch() {
        List<String> paths = new ArrayList<>(ignore);
        paths.add(NODE_MODULES);
        return paths;
    }
}
