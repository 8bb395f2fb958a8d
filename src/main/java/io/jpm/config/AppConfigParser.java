package io.jpm.config;

import io.jpm.process.RestartPolicy;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.DumpEntry;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
 * <p>A little over ~300 lines: {@link #parse} reads an app's options in named steps, in pm2's
 * order; what the app runs is read by {@link AppCommand}, and each group of options with rules of
 * its own has its own parser (logs, watch, watchdog, balancer, ecosystem).
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
    /** What the app runs, read with those paths. */
    private AppCommand command;
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
        this.command = new AppCommand(read, paths);
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
        parser.command = new AppCommand(parser.read, parser.paths);
        parser.commandCwd = clientCwd == null ? null : clientCwd.toString();
        return parser;
    }

    /**
     * Re-reads an app a dump keeps (resurrect, adoption, jpm update, a killed daemon's
     * leftovers) as the daemon that dumped it read it: its source (paths already resolved), its
     * environment, its origin and its --env name, and what its file declared when that differs.
     */
    public static AppConfig parseDumped(DumpEntry entry) {
        JsonObject source = new JsonObject(entry.source());
        Path cwd = Path.of(AppOption.CWD.textFrom(source.getMap(), "/"));
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
        Warnings warnings = new Warnings(strict);
        String firstLabel = declared.getValue(AppOption.NAME.key) instanceof String n
                ? "app '" + n + "'"
                : "app with script '" + AppCommand.declaredScript(declared) + "'";
        JsonObject app = knownOptions(declared, firstLabel, warnings);
        AppCommand.Target target = command.target(app, firstLabel);
        if (!target.hasFolder()) {
            warnings.add(target.cwdProblem());
        }
        String name = name(app, firstLabel, target, envName);
        String label = "app '" + name + "'";
        AppCommand.Launch launch = command.launch(app, label, target);
        Map<String, String> named = named(app, label, envName);
        Map<String, String> env = env(app, label, envName, named, launch, target);
        RestartPolicy policy = policy(app, label, launch.program());
        BalancerOptions balancer = new BalancerOptionsParser(where, label, warnings::add)
                .parse(app, launch.declaredMode(), env, launch.program());
        if (balancer.envPort() != null && !named.containsKey("PORT")) {
            // pm2 (Common.js prepareAppConf): over env, under env_<name>
            env.put("PORT", balancer.envPort().toString());
        }
        String execMode = execMode(label, launch.declaredMode(), balancer);
        EcosystemOptions ecosystem = ecosystem(app, label, target);
        if (ecosystem.trace() && !AppConfig.runsNode(launch.interpreter())) {
            // what jpm traces is Node's code (OpenTelemetry's Node SDK in a preload): the app runs untraced
            warnings.notice(read.message(
                    label, AppOption.TRACE.key, "applies to Node apps only: this app runs without tracing"));
        }
        String outFile = logPath(app, label, AppOption.OUT_FILE, target.cwd(), ecosystem);
        String errorFile = logPath(app, label, AppOption.ERROR_FILE, target.cwd(), ecosystem);
        if (ecosystem.disableLogs()) {
            app.remove(AppOption.LOG_FILE.key); // pm2's disable_logs: nothing of the output is written anywhere
        }
        if (ecosystem.runAs() != null) {
            env.put("HOME", ecosystem.runAs().home()); // as pm2 does for --uid
        }
        List<String> dependsOn = read.dependsOn(app, label);
        List<String> hosts = read.hosts(app, label);
        JsonObject source = source(app, name, target, launch);
        LogOptions logs = LogOptionsParser.parse(
                app,
                label,
                target.cwd(),
                clientEnv,
                read::error,
                (option, problem) -> warnings.add(read.message(label, option, problem)));
        WatchdogOptions watchdog = new WatchdogOptionsParser(where, label, warnings::add).parse(app, target.cwd());
        return AppConfig.builder()
                .name(name)
                .script(launch.script())
                .args(launch.args())
                .interpreter(launch.interpreter())
                .interpreterArgs(launch.interpreterArgs())
                .cwd(target.cwd())
                .instances(launch.instances())
                .execMode(execMode)
                .env(env)
                .policy(policy)
                .outFile(outFile)
                .errorFile(errorFile)
                .source(source)
                .origin(new Origin(file, commandCwd, blankToNull(envName), dependsOn, hosts))
                .balancer(balancer)
                .logs(logs)
                .watchdog(watchdog)
                .ecosystem(ecosystem)
                .facts(AppFacts.of(launch.script(), launch.interpreter(), ecosystem.runAs()))
                .warnings(warnings.messages())
                .declared(fileGave(source, envName))
                .build();
    }

    private EcosystemOptions ecosystem(JsonObject app, String label, AppCommand.Target target) {
        // jpm's static file server says READY=1 once it listens (serve.ReadyNotice): its start answers
        // once it serves, not while its JVM starts
        JsonObject readOptions = target.serve() && !AppOption.WAIT_READY.givenIn(app.getMap())
                ? app.copy().put(AppOption.WAIT_READY.key, true)
                : app;
        return new EcosystemOptionsParser(read).parse(readOptions, label, target.cwd(), clientEnv);
    }

    /**
     * The app's options under pm2's names: spellings normalised, unknown ones dropped with a warning,
     * and pm2's verifyConfs rewrites applied (PM2_DEEP_MONITORING, automation), so the source the
     * dump keeps is what runs.
     */
    private JsonObject knownOptions(JsonObject declared, String label, Warnings warnings) {
        JsonObject app = OptionNames.normalise(
                declared, KnownOptions.KNOWN, (option, problem) -> warnings.add(read.message(label, option, problem)));
        for (String option : List.copyOf(app.fieldNames())) {
            if (!KnownOptions.isKnown(option)) {
                warnings.add(read.message(label, option, KnownOptions.unknownOption(option)));
                app.remove(option);
            }
        }
        if (clientEnv.containsKey("PM2_DEEP_MONITORING") && !app.containsKey("deep_monitoring")) {
            app.put("deep_monitoring", true); // pm2's verifyConfs; listed in pm2_env as pm2 lists it
        }
        if (!read.bool(app, label, AppOption.AUTOMATION)) {
            app.put(AppOption.PMX.key, false); // pm2's verifyConfs: what it runs, dumps and lists after
        }
        return app;
    }

    private String name(JsonObject app, String label, AppCommand.Target target, String envName) {
        String name = read.string(
                app,
                label,
                AppOption.NAME,
                target.commandLine() != null ? target.commandLine() : defaultName(target.script()));
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
        return name;
    }

    /** The app's {@code env_<name>} for the --env name it is read with; empty without one. */
    private Map<String, String> named(JsonObject app, String label, String envName) {
        return envName != null && !envName.isBlank()
                ? read.envObject(app, label, AppOption.ENV.key + "_" + envName)
                : Map.of();
    }

    /** The client's environment (filtered), the file's deploy env, the app's env and its env_<name>, in that order. */
    private Map<String, String> env(
            JsonObject app,
            String label,
            String envName,
            Map<String, String> named,
            AppCommand.Launch launch,
            AppCommand.Target target) {
        Map<String, String> env = InheritedEnv.of(
                clientEnv,
                app.getValue(AppOption.FILTER_ENV.key),
                problem -> read.error(label, AppOption.FILTER_ENV, problem));
        if (envName != null && !envName.isBlank()) {
            env.putAll(deployEnv);
        }
        env.putAll(read.envObject(app, label, AppOption.ENV.key));
        env.putAll(named);
        List<String> interpreter = launch.interpreter();
        if (!target.serve() && !interpreter.isEmpty()) {
            paths.checkInterpreter(label, interpreter.get(0), env, target.cwd());
            if (interpreter.get(0).contains("python")) {
                env.putIfAbsent("PYTHONUNBUFFERED", "1"); // pm2's resolveInterpreter: print() reaches the log at once
            }
        }
        String serveProblem = target.serve() ? ServeApp.problem(env, launch.args(), target.cwd()) : null;
        if (serveProblem != null) {
            throw read.error(label, AppOption.ENV, serveProblem);
        }
        return env;
    }

    private RestartPolicy policy(JsonObject app, String label, Program program) {
        return RestartPolicy.read(
                option -> read.bool(app, label, option),
                option -> read.number(app, label, option),
                read.exitCodes(app, label),
                AppOption.KILL_SIGNAL.givenIn(app.getMap()) ? read.signal(app, label) : program.killSignal());
    }

    private String execMode(String label, String declaredMode, BalancerOptions balancer) {
        boolean clustered = balancer.balanced() || balancer.sharesSocket();
        if (!clustered && "cluster".equals(declaredMode)) {
            LOG.warning(
                    () -> where + ": " + label + ": exec_mode cluster without a port: its instances run side by side"
                            + " without sharing a listening socket, so an app that listens on a fixed port serves from one of them;"
                            + " give it a 'port' (and 'balance: socket' if it can take a socket at fd 3) to balance them through jpm");
        }
        return clustered || "cluster".equals(declaredMode) ? "cluster" : AppOption.EXEC_MODE.textDefault();
    }

    /**
     * The app's options as re-read later (--update-env, resurrect): name, script and cwd as resolved;
     * an absolute cwd the app gave for that folder is kept as written ("/srv/app/"), as pm2 lists it.
     */
    private static JsonObject source(JsonObject app, String name, AppCommand.Target target, AppCommand.Launch launch) {
        Object given = app.getValue(AppOption.CWD.key);
        String cwd = given instanceof String g
                        && Path.of(g).isAbsolute()
                        && Path.of(g).normalize().equals(target.cwd())
                ? g
                : target.cwd().toString();
        // the name is final: re-reading the source must not append the env name again
        JsonObject source = app.copy()
                .put(AppOption.NAME.key, name)
                .put(AppOption.SCRIPT.key, target.serve() ? ServeApp.SCRIPT : launch.script())
                .put(AppOption.CWD.key, cwd);
        source.remove(AppOption.APPEND_ENV_TO_NAME.key);
        return source;
    }

    /** What the file gave for the app, with the deploy env an --env read merged (a hot reload's diff). */
    private JsonObject fileGave(JsonObject source, String envName) {
        JsonObject fileGave = source.copy();
        if (envName != null && !envName.isBlank() && !deployEnv.isEmpty()) {
            fileGave.put(AppConfig.DEPLOY_ENV, new JsonObject(new LinkedHashMap<>(deployEnv)));
        }
        return fileGave;
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

    private String logPath(JsonObject app, String label, AppOption option, Path cwd, EcosystemOptions ecosystem) {
        if (ecosystem.disableLogs()) {
            return LogPaths.DEV_NULL;
        }
        String text = read.string(app, label, option, null);
        if (text != null && LogOptionsParser.isNull(text)) {
            return LogPaths.DEV_NULL;
        }
        return text == null
                ? null
                : cwd.resolve(LogPaths.expandHome(text, clientEnv)).normalize().toString();
    }
}
