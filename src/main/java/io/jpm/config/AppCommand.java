package io.jpm.config;

import io.jpm.process.Interpreters;
import io.jpm.protocol.AppOption;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What an app runs, read from its options by pm2's rules: its script (or the command line bash
 * runs, or jpm's static file server), its folder, its interpreter and their arguments, its
 * instances and exec_mode as given.
 */
final class AppCommand {
    private final OptionReader read;
    private final AppPaths paths;

    AppCommand(OptionReader read, AppPaths paths) {
        this.read = read;
        this.paths = paths;
    }

    /**
     * What an app runs and where: its script as given, its folder, and, for a script with spaces, the
     * command line bash runs (pm2's Common.js: named after itself); {@code serve} for jpm's static
     * file server.
     */
    record Target(String script, Path cwd, String commandLine, boolean serve, String cwdProblem) {
        Target(String script, Path cwd, String commandLine, boolean serve) {
            this(script, cwd, commandLine, serve, null);
        }

        /** Whether its folder is there: an app of a file whose cwd is not is listed, and errors at its spawn. */
        boolean hasFolder() {
            return cwdProblem == null;
        }
    }

    /** How an app runs: its resolved script, interpreter and arguments, its instances and exec_mode as given. */
    record Launch(
            String script,
            List<String> interpreter,
            List<String> interpreterArgs,
            List<String> args,
            int instances,
            String declaredMode,
            Program program) {}

    /** The script as the file gives it, before its spellings are normalised (for the label of an app without a name). */
    static Object declaredScript(JsonObject declared) {
        String script = AppOption.SCRIPT.key;
        return declared.containsKey(script) ? declared.getValue(script) : declared.getValue("cmd");
    }

    Target target(JsonObject app, String label) {
        String script = read.string(app, label, AppOption.SCRIPT);
        if (script == null || script.isBlank()) {
            throw read.error(label, AppOption.SCRIPT, "is required");
        }
        Path cwd = paths.folder(read.string(app, label, AppOption.CWD), script);
        if (!Files.isDirectory(cwd)) {
            if (!paths.ofFile()) {
                throw read.error(label, AppOption.CWD, "is not a folder: " + cwd);
            }
            // pm2 starts a file's other apps and lists this one, which cannot run: jpm lists it too,
            // errored at its spawn, and says why (a folder made later, `jpm restart` runs it)
            String problem = read.message(label, AppOption.CWD.key, "is not a folder: " + cwd);
            return new Target(script, cwd, null, false, problem);
        }
        if (script.contains(" ") && !Files.exists(cwd.resolve(script))) {
            // pm2 (Common.js): a script with spaces is a command line, run by bash -c and named after itself
            app.put(AppOption.SCRIPT.key, "bash")
                    .put(AppOption.ARGS.key, new JsonArray().add("-c").add(script));
            return new Target("bash", cwd, script, false);
        }
        // pm2 (API.js): "serve" is its static file server; jpm's is a class of its own jar (a file of
        // that name in the cwd is still run as a script)
        boolean serve = ServeApp.SCRIPT.equals(script) && !Files.exists(cwd.resolve(script));
        return new Target(script, cwd, null, serve);
    }

    Launch launch(JsonObject app, String label, Target target) {
        String interpreterOption = read.string(app, label, AppOption.INTERPRETER);
        if (target.serve() && interpreterOption != null) {
            throw read.error(
                    label,
                    AppOption.INTERPRETER,
                    "does not go with script 'serve': jpm's static file server runs on the daemon's java");
        }
        String script = target.serve()
                ? ServeApp.MAIN_CLASS
                : target.hasFolder()
                        ? paths.script(label, target.script(), target.cwd())
                        : paths.scriptWithoutFolder(target.script(), target.cwd());
        List<String> interpreter = target.serve()
                ? ServeApp.interpreter()
                : interpreterOption == null
                        ? ScriptKind.interpreter(Path.of(script), paths::node)
                        : Interpreters.explicit(interpreterOption, script);
        if (interpreter.isEmpty() && target.hasFolder() && !Files.isExecutable(Path.of(script))) {
            throw read.error(
                    label,
                    AppOption.SCRIPT,
                    "'" + script + "' is not executable: make it so (chmod +x) or give an interpreter");
        }
        List<String> interpreterArgs = AppOption.INTERPRETER_ARGS.givenIn(app.getMap())
                ? read.words(app, label, AppOption.INTERPRETER_ARGS)
                : read.words(app, label, AppConfig.NODE_ARGS);
        if (target.serve()) {
            interpreterArgs = ServeApp.jvmFlags(interpreterArgs);
        }
        List<String> args = read.words(app, label, AppOption.ARGS);
        int instances = read.instances(app, label);
        String declaredMode = read.execMode(app, label);
        return new Launch(
                script,
                interpreter,
                interpreterArgs,
                args,
                instances,
                declaredMode,
                Program.of(script, interpreter, args));
    }
}
