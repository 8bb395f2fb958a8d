package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.transport.Json;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.OptionType;
import io.jpm.protocol.StartFlag;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The start flags ({@link StartFlags}) turned into one app's options, by pm2's names, as an
 * ecosystem file would give them: the daemon validates them once, whichever way they came. Each
 * flag's text is read with its option's grammar ({@link OptionType#fromFlag}), so a typo is
 * refused before a round trip, and a value a file may give is accepted here too.
 */
final class StartOptions {
    private StartOptions() {}

    static Map<String, Object> appOptions(String script, Args args) throws IOException {
        Map<String, Object> app = Json.object();
        app.put("script", script);
        app.putAll(changes(args));
        return app;
    }

    /**
     * The options the flags set, without a script: what restart and reload of an app that exists
     * send, for the daemon to merge into the app's own (pm2's {@code current_conf}).
     */
    static Map<String, Object> changes(Args args) throws IOException {
        Map<String, Object> app = Json.object();
        for (AppOption option : StartFlags.FLAGGED) {
            if (args.has(option.flagName())) {
                app.put(option.key, value(option, args.get(option.flagName())));
            }
        }
        for (String sourceMaps : List.of("source_map_support", "disable_source_map_support")) {
            if (args.has(sourceMaps)) {
                app.put(sourceMaps, true);
            }
        }
        if (args.has("execute_command")) {
            app.put(AppOption.EXEC_MODE.key, "fork"); // pm2's -x: run in fork mode
        }
        if (args.has("ext")) {
            app.put(
                    AppOption.IGNORE_WATCH.key,
                    WatchExtensions.ignoreAllBut(args.get("ext"), Path.of(System.getProperty("user.dir"))));
        }
        if (!args.passthrough.isEmpty()) {
            app.put("args", List.copyOf(args.passthrough));
        }
        return app;
    }

    /** A switch sets its option true (false for {@code --no-...}); a value is read with the option's grammar. */
    private static Object value(AppOption option, String text) {
        StartFlag flag = option.flag();
        if (flag.value() == null) {
            return !flag.turnsOff();
        }
        Object value;
        try {
            value = option.type.fromFlag(text);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(flag.firstSpelling() + " " + e.getMessage());
        }
        boolean path = option.type == OptionType.PATH || option.type == OptionType.PATH_OR_TRUE;
        return path && value instanceof String given ? clientPath(given) : value;
    }

    /** A log or pid file given on the command line is the client's folder's, as pm2 resolves it. */
    private static String clientPath(String path) {
        if (path.equals("true") || path.equals("NULL") || path.equals("/dev/null")) {
            return path;
        }
        return Path.of(System.getProperty("user.dir")).resolve(path).normalize().toString();
    }
}
