package io.jpm.config;

import io.jpm.process.Interpreters;
import io.jpm.process.RestartPolicy;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.DumpEntry;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Validates one app's options (pm2's names) into an {@link AppConfig}. Every error names where the
 * app came from, the app and the option, and nothing is applied from a config that fails.
 *
 * <p>A little over ~300 lines: {@link #parse} reads an app's common options one after another in
 * pm2's order, a list that reads best whole; each group of options with rules of its own has its
 * own parser (logs, watch, watchdog, balancer, ecosystem).
 */
public final class AppConfigParser {
    private static final Logger LOG = Logger.getLogger("jpm.config");

    /**
     * The ignored options ({@link AppOption#IGNORED}) as pm2 lists them in pm2_env: as the app gave
     * them, else pm2's default when its schema has one.
     */
    public static JsonObject pm2OnlyOptions(JsonObject source) {
        return KnownOptions.pm2OnlyOptions(source);
    }

    /** The typed reads of options, whose errors name where the apps came from. */
    final OptionReader read;
    /** Where the apps come from, for messages. */
    private final String where;

    private final Path baseDir;
    private final Map<String, String> clientEnv;
    /** The ecosystem file the apps come from, null for the command line (or a dump). */
    private String file;
    /** Where the app's folder, script and interpreter are, by pm2's rules. */
    private AppPaths paths;
    /** The folder of the command that read the file, for the apps' origin. */
    private String commandCwd;
    /** The file's {@code deploy.<env>.env} for the --env name it is read with: below each app's env. */
    private Map<String, String> deployEnv = Map.of();

    private boolean strict;

    /**
     * @param where where the apps come from, for messages ("conf/ecosystem.json" or "command line")
     * @param baseDir what relative paths are relative to: the folder the command ran in
     * @param clientEnv the environment of the client that asked, the base of every app's env
     */
    public AppConfigParser(String where, Path baseDir, Map<String, String> clientEnv) {
        this.where = where;
        this.read = new OptionReader(where);
        this.baseDir = baseDir;
        this.clientEnv = clientEnv;
        this.paths = new AppPaths(where, baseDir, null, clientEnv, read);
    }

    /**
     * A parser for the apps of an ecosystem file read on behalf of a command that ran in
     * {@code clientCwd}: relative scripts and cwds resolve against that folder, as pm2 resolves them
     * (lib/Common.js prepareAppConf); a script not found there, which pm2 would refuse, is looked for
     * against the file's own folder.
     */
    public static AppConfigParser forFile(Path file, Path clientCwd, Map<String, String> clientEnv) {
        Path folder = file.toAbsolutePath().getParent();
        AppConfigParser parser =
                new AppConfigParser(file.toString(), clientCwd == null ? folder : clientCwd, clientEnv);
        parser.file = file.toString();
        parser.paths = new AppPaths(file.toString(), parser.baseDir, folder, clientEnv, parser.read);
        parser.commandCwd = clientCwd == null ? null : clientCwd.toString();
        return parser;
    }

    /**
     * Re-reads an app a dump keeps (resurrect, crash recovery, jpm update, a killed daemon's
     * orphans) as the daemon that dumped it read it: its source (paths already resolved), its
     * environment, its origin and its --env name, and what its file declared when that differs.
     */
    public static AppConfig parseDumped(DumpEntry entry) {
        JsonObject source = new JsonObject(entry.source());
        Path cwd = Path.of(source.getString("cwd", "/"));
        AppConfig config = new AppConfigParser("dump: app '" + entry.name() + "'", cwd, entry.env())
                .withOrigin(entry.file(), entry.commandCwd())
                .parse(source, entry.envName());
        return entry.declared() == null ? config : config.withDeclared(new JsonObject(entry.declared()));
    }

    /** Strict reading: an option jpm would only warn about refuses the app instead. */
    public AppConfigParser strict(boolean on) {
        this.strict = on;
        return this;
    }

    /** The file's {@code deploy.<env>.env}, merged below each app's env when read with that env name (pm2's --env). */
    AppConfigParser withDeployEnv(Map<String, String> env) {
        this.deployEnv = Map.copyOf(env);
        return this;
    }

    /**
     * Records {@code file}, read by a command in {@code commandCwd}, as the apps' origin (a dump entry
     * re-read from where it was saved).
     */
    public AppConfigParser withOrigin(String file, String commandCwd) {
        this.file = file;
        this.commandCwd = commandCwd;
        return this;
    }

    /** Parses one app; {@code envName} picks {@code env_<name>} to merge over {@code env}. */
    public AppConfig parse(JsonObject declared, String envName) {
        Object givenName = declared.getValue("name");
        String firstLabel = givenName instanceof String n
                ? "app '" + n + "'"
                : "app with script '"
                        + (declared.containsKey("script") ? declared.getValue("script") : declared.getValue("cmd"))
                        + "'";
        Warnings warnings = new Warnings(strict);
        JsonObject app = OptionNames.normalise(
                declared,
                KnownOptions.KNOWN,
                (option, problem) -> warnings.add(read.message(firstLabel, option, problem)));
        String label = firstLabel;
        for (String option : List.copyOf(app.fieldNames())) {
            if (!KnownOptions.isKnown(option)) {
                warnings.add(read.message(label, option, KnownOptions.unknownOption(option)));
                app.remove(option);
            }
        }
        if (clientEnv.containsKey("PM2_DEEP_MONITORING") && !app.containsKey("deep_monitoring")) {
            app.put("deep_monitoring", true); // pm2's verifyConfs; listed in pm2_env as pm2 lists it
        }
        String script = read.string(app, label, AppOption.SCRIPT);
        if (script == null || script.isBlank()) {
            throw read.error(label, "script", "is required");
        }
        String cwdText = read.string(app, label, AppOption.CWD);
        Path cwd = paths.folder(cwdText, script);
        if (!Files.isDirectory(cwd)) {
            throw read.error(label, "cwd", "is not a folder: " + cwd);
        }
        String commandLine = null;
        if (script.contains(" ") && !Files.exists(cwd.resolve(script))) {
            // pm2 (Common.js): a script with spaces is a command line, run by bash -c and named after itself
            commandLine = script;
            script = "bash";
            app.put("script", script).put("args", new JsonArray().add("-c").add(commandLine));
        }
        String name = read.string(app, label, "name", commandLine != null ? commandLine : defaultName(script));
        if (envName != null
                && !envName.isBlank()
                && read.bool(app, "app '" + name + "'", AppOption.APPEND_ENV_TO_NAME)) {
            name = name + "-" + envName;
        }
        // pm2 (API.js): "prefix:name", unless the name already holds the prefix (so re-reading a dump's
        // source does not prefix twice)
        String namePrefix = read.string(app, "app '" + name + "'", AppOption.NAME_PREFIX);
        if (namePrefix != null && !namePrefix.isEmpty() && !name.contains(namePrefix)) {
            name = namePrefix + ":" + name;
        }
        label = "app '" + name + "'";
        String interpreterOption = read.string(app, label, AppOption.INTERPRETER);
        // pm2 (API.js): "serve" is its static file server; jpm's is a class of its own jar (a file of
        // that name in the cwd is still run as a script)
        boolean serve = ServeApp.SCRIPT.equals(script) && !Files.exists(cwd.resolve(script));
        if (serve && interpreterOption != null) {
            throw read.error(
                    label,
                    "interpreter",
                    "does not go with script 'serve': jpm's static file server runs on the daemon's java");
        }
        String resolvedScript = serve ? ServeApp.MAIN_CLASS : paths.script(label, script, cwd);
        List<String> interpreter = serve
                ? ServeApp.interpreter()
                : interpreterOption == null
                        ? ScriptKind.interpreter(Path.of(resolvedScript), paths::node)
                        : Interpreters.explicit(interpreterOption, resolvedScript);
        if (interpreter.isEmpty() && !Files.isExecutable(Path.of(resolvedScript))) {
            throw read.error(
                    label,
                    "script",
                    "'" + resolvedScript + "' is not executable: make it so (chmod +x) or give an interpreter");
        }
        List<String> interpreterArgs =
                read.words(app, label, app.containsKey("interpreter_args") ? "interpreter_args" : "node_args");
        if (serve) {
            interpreterArgs = ServeApp.jvmFlags(interpreterArgs);
        }
        List<String> args = read.words(app, label, "args");
        int instances = read.instances(app, label);
        String declaredMode = read.execMode(app, label);

        Program program = Program.of(resolvedScript, interpreter, args);
        String appLabel = label;
        Map<String, String> env = InheritedEnv.of(
                clientEnv, app.getValue("filter_env"), problem -> read.error(appLabel, "filter_env", problem));
        if (envName != null && !envName.isBlank()) {
            env.putAll(deployEnv);
        }
        env.putAll(read.envObject(app, label, "env"));
        Map<String, String> named =
                envName != null && !envName.isBlank() ? read.envObject(app, label, "env_" + envName) : Map.of();
        env.putAll(named);
        if (!serve && !interpreter.isEmpty()) {
            paths.checkInterpreter(label, interpreter.get(0), env, cwd);
            if (interpreter.get(0).contains("python")) {
                env.putIfAbsent("PYTHONUNBUFFERED", "1"); // pm2's resolveInterpreter: print() reaches the log at once
            }
        }
        String serveProblem = serve ? ServeApp.problem(env, args, cwd) : null;
        if (serveProblem != null) {
            throw read.error(label, "env", serveProblem);
        }
        RestartPolicy policy = new RestartPolicy(
                read.bool(app, label, AppOption.AUTORESTART),
                (int) read.wholeNumber(app, label, AppOption.MAX_RESTARTS),
                read.duration(app, label, AppOption.MIN_UPTIME),
                read.duration(app, label, AppOption.RESTART_DELAY),
                read.duration(app, label, AppOption.EXP_BACKOFF_RESTART_DELAY),
                read.exitCodes(app, label),
                read.duration(app, label, AppOption.KILL_TIMEOUT),
                app.containsKey("kill_signal") ? read.signal(app, label) : program.killSignal());
        BalancerOptions balancer = new BalancerOptionsParser(where, label).parse(app, declaredMode, env, program);
        if (balancer.envPort() != null && !named.containsKey("PORT")) {
            env.put(
                    "PORT",
                    balancer.envPort().toString()); // pm2 (Common.js prepareAppConf): over env, under env_<name>
        }
        boolean clustered = balancer.balanced() || balancer.sharesSocket();
        String execMode = clustered || "cluster".equals(declaredMode) ? "cluster" : "fork";
        if (!clustered && "cluster".equals(declaredMode)) {
            LOG.warning(
                    () -> where + ": " + appLabel + ": exec_mode cluster without a port: its instances run side by side"
                            + " without sharing a listening socket, so an app that listens on a fixed port serves from one of them;"
                            + " give it a 'port' (and 'balance: socket' if it can take a socket at fd 3) to balance them through jpm");
        }
        // jpm's static file server says READY=1 once it listens (serve.ReadyNotice): its start answers
        // once it serves, not while its JVM starts
        JsonObject readOptions =
                serve && !app.containsKey("wait_ready") ? app.copy().put("wait_ready", true) : app;
        EcosystemOptions ecosystem = new EcosystemOptionsParser(read).parse(readOptions, label, cwd, clientEnv);
        String outFile = ecosystem.disableLogs() ? LogPaths.DEV_NULL : logPath(app, label, "out_file", cwd);
        String errorFile = ecosystem.disableLogs() ? LogPaths.DEV_NULL : logPath(app, label, "error_file", cwd);
        if (ecosystem.disableLogs()) {
            app.remove("log_file"); // pm2's disable_logs: nothing of the output is written anywhere
        }
        if (ecosystem.runAs() != null) {
            env.put("HOME", ecosystem.runAs().home()); // as pm2 does for --uid
        }

        // Options of later issues: each issue adds one record, parsed from `app` by a class of its own in
        // this package (names are snake_case here: pm2's spellings are already normalised; the typed
        // readers string/bool/wholeNumber/duration/error are package-private for it), one line here,
        // and one component at the end of AppConfig.
        List<String> dependsOn = read.dependsOn(app, label);
        // the name is final: re-reading the source (--update-env, resurrect) must not append again
        JsonObject source = app.copy()
                .put("name", name)
                .put("script", serve ? ServeApp.SCRIPT : resolvedScript)
                .put("cwd", cwd.toString());
        source.remove("append_env_to_name");
        String logLabel = label;
        LogOptions logs = LogOptionsParser.parse(
                app,
                label,
                cwd,
                clientEnv,
                read::error,
                (option, problem) -> warnings.add(read.message(logLabel, option, problem)));
        WatchdogOptions watchdog = new WatchdogOptionsParser(where, label, warnings::add).parse(app, cwd);
        JsonObject fileGave = source.copy();
        if (envName != null && !envName.isBlank() && !deployEnv.isEmpty()) {
            fileGave.put(AppConfig.DEPLOY_ENV, new JsonObject(new LinkedHashMap<>(deployEnv)));
        }
        return new AppConfig(
                name,
                resolvedScript,
                args,
                interpreter,
                interpreterArgs,
                cwd,
                instances,
                execMode,
                env,
                policy,
                outFile,
                errorFile,
                source,
                new Origin(file, commandCwd, blankToNull(envName), dependsOn),
                balancer,
                logs,
                watchdog,
                ecosystem,
                AppFacts.of(resolvedScript, interpreter, ecosystem.runAs()),
                warnings.messages(),
                fileGave);
    }

    /** Parses every app of an ecosystem document {@code {"apps":[...]}}; names must be unique. */
    public List<AppConfig> parseAll(JsonArray apps, String envName) {
        List<AppConfig> configs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < apps.size(); i++) {
            if (!(apps.getValue(i) instanceof JsonObject app)) {
                throw new JpmException(JpmError.INVALID_CONFIG, where + ": apps[" + i + "] must be an object");
            }
            AppConfig config = parse(app, envName);
            if (!names.add(config.name())) {
                throw new JpmException(
                        JpmError.INVALID_CONFIG, where + ": app name '" + config.name() + "' is used twice");
            }
            configs.add(config);
        }
        return StartOrder.sort(configs, where);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    /** pm2's default name: the script's file name without its extension. */
    public static String defaultName(String script) {
        String file = Path.of(script).getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    private String logPath(JsonObject app, String label, String option, Path cwd) {
        String text = read.string(app, label, option, null);
        if (text != null && LogOptionsParser.isNull(text)) {
            return LogPaths.DEV_NULL;
        }
        return text == null
                ? null
                : cwd.resolve(LogPaths.expandHome(text, clientEnv)).normalize().toString();
    }
}
