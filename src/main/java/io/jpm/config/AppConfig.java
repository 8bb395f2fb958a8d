package io.jpm.config;

import io.jpm.process.RestartPolicy;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.BlockingCall;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One app as declared, validated once and immutable. Runtime counters live in God's instances, not
 * here. Field names follow pm2's options (see docs/CONFIG.md).
 *
 * @param script an absolute path to the script, a command found on PATH, or the static file server's
 *     main class (script "serve")
 * @param interpreter the interpreter command with its leading arguments; empty = exec directly
 * @param instances how many independent instances (already resolved from "max")
 * @param outFile stdout log path, null for the default in JPM_HOME/logs
 * @param errorFile stderr log path, null for the default
 * @param source the JSON the app was read from, with paths resolved: what a dump saves
 * @param origin the ecosystem file and --env name it was read with, and its depends_on
 * @param balancer the balancer's options; {@link BalancerOptions#none()} for a plain fork app
 * @param logs the log options (log_file, merge_logs, log_date_format, log_type, rotation)
 * @param watchdog what Satan watches beyond exits: health, memory, cron, files, errored retry
 * @param ecosystem autostart, disable_logs, pid_file, namespace, treekill, force, uid/gid
 * @param facts what pm2 shows of the app that is no option: its package version, node version, user
 * @param warnings what reading it noticed without refusing it (options jpm does not know, ...), for
 *     the command that read it, describe, jlist and {@code jpm ls}
 * @param declared what its ecosystem file declared for it when last read: its source as the file gave
 *     it and, under {@value #DEPLOY_ENV}, the {@code deploy.<env>.env} an {@code --env} read merged. A
 *     hot reload restarts the app when this changes (god.FileDiff), so options given on the command
 *     line, a scale, a resurrect or an {@code --update-env} are no edit of the file; the source itself
 *     for an app of the command line
 */
public record AppConfig(
        String name,
        String script,
        List<String> args,
        List<String> interpreter,
        List<String> interpreterArgs,
        Path cwd,
        int instances,
        String execMode,
        Map<String, String> env,
        RestartPolicy policy,
        String outFile,
        String errorFile,
        JsonObject source,
        Origin origin,
        BalancerOptions balancer,
        LogOptions logs,
        WatchdogOptions watchdog,
        EcosystemOptions ecosystem,
        AppFacts facts,
        List<String> warnings,
        JsonObject declared) {
    /** The key of {@link #declared} under which the deploy section's env of an {@code --env} read is. */
    public static final String DEPLOY_ENV = "deploy_env";
    /**
     * pm2's old name of interpreter_args. A null under it in {@link #source} says a {@code
     * --node-args=null} cleared the app's interpreter arguments: pm2 then deletes node_args from
     * pm2_env for good, so jlist lists none.
     */
    public static final String NODE_ARGS = "node_args";

    public AppConfig {
        declared = declared == null ? source : declared;
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        args = List.copyOf(args);
        interpreter = List.copyOf(interpreter);
        interpreterArgs = List.copyOf(interpreterArgs);
        env = Map.copyOf(env);
        logs = logs == null ? LogOptions.defaults() : logs;
        ecosystem = ecosystem == null ? EcosystemOptions.defaults() : ecosystem;
        facts = facts == null ? AppFacts.UNKNOWN : facts;
    }

    /**
     * The same app with another listen_timeout ({@code jpm reload --listen-timeout}, which pm2 keeps
     * in the app's options): in its balancer options and in its source, so a dump keeps it.
     */
    public AppConfig withListenTimeout(long ms) {
        return toBuilder()
                .source(source.copy().put(AppOption.LISTEN_TIMEOUT.key, ms))
                .balancer(balancer.withListenTimeout(ms))
                .build();
    }

    /**
     * The same app with its file's declaration as it was: an app re-read with options given on the
     * command line, or from a dump, still declares what its file said.
     */
    public AppConfig withDeclared(JsonObject declaration) {
        return toBuilder().declared(declaration).build();
    }

    /** Whether these options given to an app clear its interpreter arguments ({@code --node-args=null}). */
    public static boolean clearsNodeArgs(JsonObject given) {
        return "null".equals(given.getValue(AppOption.INTERPRETER_ARGS.key))
                || "null".equals(given.getValue(NODE_ARGS));
    }

    /** Whether a {@code --node-args=null} cleared the interpreter arguments (see {@link #NODE_ARGS}). */
    public boolean nodeArgsCleared() {
        return source.containsKey(NODE_ARGS) && source.getValue(NODE_ARGS) == null && interpreterArgs.isEmpty();
    }

    /** Whether pm2 lists {@code args}: the app has some, or gave them empty ({@code args: ''} lists {@code []}). */
    public boolean listsArgs() {
        return !args.isEmpty() || source.getValue(AppOption.ARGS.key) != null;
    }

    /** The version of the package.json nearest above the script as it reads now ("N/A" without one); blocking. */
    public String packageVersionNow() {
        BlockingCall.check("a read of the package.json above " + script);
        return AppFacts.packageVersion(Path.of(script));
    }

    /** The same app with another package version (pm2 reads it again at each restart). */
    public AppConfig withPackageVersion(String version) {
        return version.equals(facts.version())
                ? this
                : toBuilder()
                        .facts(new AppFacts(version, facts.nodeVersion(), facts.username()))
                        .build();
    }

    /** The command line of one instance. */
    public List<String> command() {
        return command(List.of());
    }

    /** The command line with {@code preload} given to the interpreter first (node's {@code -r file}). */
    private List<String> command(List<String> preload) {
        var command = new ArrayList<String>(interpreter.size() + interpreterArgs.size() + 1 + args.size());
        command.addAll(interpreter.isEmpty() ? List.of() : interpreter.subList(0, 1));
        command.addAll(interpreter.isEmpty() ? List.of() : preload);
        command.addAll(interpreterArgs);
        command.addAll(interpreter.size() > 1 ? interpreter.subList(1, interpreter.size()) : List.of());
        command.add(script);
        command.addAll(args);
        return command;
    }

    /**
     * The command as launched: under {@code setpriv} when the app runs as another user (util-linux;
     * the group list is the user's own, or just the given gid).
     */
    public List<String> launchCommand() {
        return launchCommand(List.of());
    }

    /** {@link #launchCommand()} with node's preload arguments (see {@link #isNode}). */
    public List<String> launchCommand(List<String> nodePreload) {
        EcosystemOptions.RunAs runAs = ecosystem.runAs();
        if (runAs == null) {
            return command(nodePreload);
        }
        var command = new ArrayList<String>(
                List.of("setpriv", "--reuid=" + runAs.uid(), "--regid=" + runAs.gid(), "--init-groups", "--"));
        command.addAll(command(nodePreload));
        return command;
    }

    /** Whether it is jpm's static file server ({@code script: "serve"}, {@code jpm serve}). */
    public boolean isStaticServer() {
        return ServeApp.MAIN_CLASS.equals(script);
    }

    /** Whether the app runs under node (its interpreter is node or nodejs, by any path). */
    public boolean isNode() {
        return runsNode(interpreter);
    }

    /** Whether this interpreter command is node or nodejs, by any path. */
    static boolean runsNode(List<String> interpreter) {
        if (interpreter.isEmpty()) {
            return false;
        }
        String word = Path.of(interpreter.get(0)).getFileName().toString();
        return word.equals("node") || word.equals("nodejs");
    }

    /** The interpreter word pm2 shows in describe ("none" when executed directly). */
    public String interpreterName() {
        return interpreter.isEmpty() ? "none" : interpreter.get(0);
    }

    /**
     * An app built by naming each part ({@code AppConfig.builder().name(n).outFile(o)...build()}):
     * 21 components, several of one type in a row (name and script, outFile and errorFile), are not
     * told apart by the compiler, their names are.
     */
    public static AppConfigBuilder builder() {
        return new AppConfigBuilder();
    }

    /** This app, to change a part of it. */
    public AppConfigBuilder toBuilder() {
        return builder()
                .name(name)
                .script(script)
                .args(args)
                .interpreter(interpreter)
                .interpreterArgs(interpreterArgs)
                .cwd(cwd)
                .instances(instances)
                .execMode(execMode)
                .env(env)
                .policy(policy)
                .outFile(outFile)
                .errorFile(errorFile)
                .source(source)
                .origin(origin)
                .balancer(balancer)
                .logs(logs)
                .watchdog(watchdog)
                .ecosystem(ecosystem)
                .facts(facts)
                .warnings(warnings)
                .declared(declared);
    }
}
