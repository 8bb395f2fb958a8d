package io.jpm.cli.command;

import io.jpm.cli.Flag;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.OptionType;
import io.jpm.protocol.StartFlag;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * pm2 start's flags: first those that set one app option, made from the options' declaration
 * ({@link AppOption}: spellings, placeholder, help), then the command's own. {@link StartOptions}
 * turns them into one app's options. start, the startOr* verbs, restart and reload of an ecosystem
 * file, and jpm-runtime all read this one table; restart and reload of apps that exist read
 * {@link #FOR_EXISTING_APPS}.
 */
final class StartFlags {
    private StartFlags() {}

    /**
     * What a start flag does beyond one app's options (a file, the request, the output), jpm's own
     * balancer options, and what restart reads its own way: {@code --watch} (pm2 toggles watching)
     * and {@code --listen-timeout} (its own field of the request).
     */
    private static final Set<String> NOT_FOR_EXISTING_APPS = Set.of(
            "env",
            "only",
            "force",
            "strict",
            "watch",
            AppOption.LISTEN_TIMEOUT.key,
            "parallel",
            "attach",
            "write",
            "mini_list",
            "update_env",
            "port",
            "host",
            "balance");

    /** The flags of the command itself, or that set an option another way than its own value. */
    private static final List<Flag> COMMAND_FLAGS = List.of(
            Flag.option("--env", "env", "name", "an ecosystem file's env_<name> section applies"),
            Flag.option("--only", "only", "a,b", "of an ecosystem file, only these apps"),
            Flag.toggle("-f|--force", "force", "start a script that already runs once more, as another app"),
            Flag.toggle("--strict", "strict", "refuse the apps for an option jpm does not know, instead of a warning"),
            Flag.option("--ext", "ext", "js,json", "watch only files with these extensions"),
            Flag.toggle("-x|--execute-command", "execute_command", "run the script as a command (no interpreter)"),
            Flag.option(
                    "--parallel",
                    "parallel",
                    "N",
                    "of an ecosystem file's running apps, at most N restarted at a time"),
            Flag.toggle("--attach", "attach", "then stream the app's logs until Ctrl-C"),
            Flag.toggle("-w|--write", "write", "also save the options as ./<name>-pm2.json"),
            Flag.toggle("-m|--mini-list", "mini_list", "print the short list, not the table"),
            // pm2 applies a file's env on start anyway; accepted so pm2 scripts run unchanged
            Flag.toggle(
                    "-a|--update-env", "update_env", "accepted for pm2's scripts: start always takes the file's env"),
            // pm2 options for Node's source maps, pm2.io and git metadata: nothing to do outside pm2
            ignored("--no-vizion|--no-color", "pm2's options for git metadata and colours: accepted, nothing to do"),
            Flag.toggle(
                    "--source-map-support",
                    "source_map_support",
                    "node reports stack traces through source maps (on by itself when <script>.map exists)"),
            Flag.toggle(
                    "--disable-source-map-support",
                    "disable_source_map_support",
                    "node reports stack traces as they are, even with a <script>.map"),
            ignored(
                    "--trace|--disable-trace|--v8|--event-loop-inspector|--deep-monitoring",
                    "pm2.io's tracing and metrics: accepted, nothing to do"));

    /** The options a flag sets, in the declaration's order. */
    static final List<AppOption> FLAGGED =
            Stream.of(AppOption.values()).filter(o -> o.flag() != null).toList();

    static final List<Flag> TABLE = table();

    /**
     * The flags pm2 applies to an app that already exists ({@code restart app --node-args ...}): it
     * merges them into the app's settings, which its next run takes. The balancer's port, host and
     * balance are jpm's own (pm2 has no such flags): a running app's public port changes with its
     * ecosystem file, not here.
     */
    static final List<Flag> FOR_EXISTING_APPS = TABLE.stream()
            .filter(f -> !NOT_FOR_EXISTING_APPS.contains(f.name()))
            .toList();

    /** pm2's switches that jpm accepts and does nothing with, less those an option declares (they act). */
    private static Flag ignored(String spellings, String help) {
        Set<String> declared = Stream.of(AppOption.values())
                .filter(o -> o.flag() != null)
                .flatMap(o -> Stream.of(o.flag().spellings().split("\\|")))
                .collect(Collectors.toSet());
        String left = Stream.of(spellings.split("\\|"))
                .filter(s -> !declared.contains(s))
                .collect(Collectors.joining("|"));
        return Flag.toggle(left, "ignored", help);
    }

    private static List<Flag> table() {
        List<Flag> flags = new ArrayList<>();
        for (AppOption option : FLAGGED) {
            StartFlag flag = option.flag();
            Flag read = flag.value() == null
                    ? Flag.toggle(flag.spellings(), option.flagName(), option.help())
                    : Flag.option(flag.spellings(), option.flagName(), flag.value(), option.help());
            // a list of paths collects every use of its flag, as pm2's --watch does
            flags.add(option.type == OptionType.PATHS ? read.repeating() : read);
        }
        flags.addAll(COMMAND_FLAGS);
        return List.copyOf(flags);
    }
}
