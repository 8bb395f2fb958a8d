package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.config.AppConfigParser;
import io.jpm.config.EcosystemOptions;
import io.jpm.config.LogPaths;
import io.jpm.process.RestartPolicy;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.CodeMetrics;
import io.jpm.protocol.Pm2EnvEcosystem;
import io.jpm.protocol.Pm2EnvFacts;
import io.jpm.protocol.Pm2EnvInstance;
import io.jpm.protocol.Pm2EnvLogs;
import io.jpm.protocol.Pm2EnvPolicy;
import io.jpm.protocol.Pm2EnvProgram;
import io.jpm.protocol.Pm2EnvRun;
import io.jpm.protocol.Pm2EnvWatch;
import io.jpm.protocol.ProcessViewPm2Env;
import io.jpm.verticle.Plain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An instance's {@code pm2_env} ({@link ProcessViewPm2Env}), part by part from the app's config
 * parts and the instance's counters, each part's values given by their keys.
 */
final class Pm2EnvView {
    /** @pm2/io's name of the app in axm_options. */
    private static final String MODULE_NAME = "module_name";

    private Pm2EnvView() {}

    static ProcessViewPm2Env of(Instance i, EnvView view) {
        AppConfig c = i.config();
        return new ProcessViewPm2Env(
                env(i, view),
                i.name(),
                ecosystem(i),
                run(i),
                program(c),
                watch(i),
                logs(i),
                Pm2EnvInstance.KEYS
                        .builder()
                        .with(Pm2EnvInstance.INSTANCE_VAR, c.balancer().instanceVar())
                        .with(Pm2EnvInstance.INDEX, i.index)
                        .with(Pm2EnvInstance.INCREMENT_VAR, c.balancer().incrementVar())
                        .build(),
                policy(c.policy()),
                Pm2EnvFacts.KEYS
                        .builder()
                        .with(Pm2EnvFacts.VERSION, c.facts().version())
                        .with(Pm2EnvFacts.UNIQUE_ID, i.uniqueId())
                        .with(Pm2EnvFacts.USERNAME, c.facts().username())
                        .with(Pm2EnvFacts.NODE_VERSION, c.facts().nodeVersion())
                        .build(),
                codeMetrics(i),
                pm2Only(i));
    }

    /**
     * What the app reported from inside. jpm's static file server reports nothing; pm2's, a Node app
     * under @pm2/io, names itself in axm_options ({@code module_name}), which scripts count.
     */
    static CodeMetrics codeMetrics(Instance i) {
        CodeMetrics reported = i.run().reported().view(i.channel());
        if (!i.config().isStaticServer() || reported.options().containsKey(MODULE_NAME)) {
            return reported;
        }
        Map<String, Object> options = new LinkedHashMap<>(reported.options());
        options.put(MODULE_NAME, i.name());
        return new CodeMetrics(reported.monitor(), reported.actions(), options);
    }

    /**
     * What only means something to Node or pm2.io, listed as pm2 lists it (vizion: true, ..., _km_monitored);
     * and as pm2 lists an app's own options: its {@code cwd} (as given when absolute, else resolved; pm2
     * lists it only when given), for an app run as another user that user's {@code uid} and {@code gid}
     * as numbers (pm2's resolveAppAttributes), and {@code watch_delay} when given.
     */
    private static Map<String, Object> pm2Only(Instance i) {
        JsonObject listed = AppConfigParser.pm2OnlyOptions(i.config().source());
        if (i.config().source().getValue(AppOption.CWD.key) instanceof String cwd) {
            listed.put(AppOption.CWD.key, cwd);
        }
        if (AppOption.WATCH_DELAY.givenIn(i.config().source().getMap())) {
            listed.put(AppOption.WATCH_DELAY.key, i.config().watchdog().watchDelayMs());
        }
        EcosystemOptions.RunAs runAs = i.config().ecosystem().runAs();
        if (runAs != null) {
            listed.put(AppOption.UID.key, runAs.uid()).put(AppOption.GID.key, runAs.gid());
        }
        if (i.monitored() != null) {
            listed.put("_km_monitored", i.monitored());
        }
        return Plain.map(listed);
    }

    private static Map<String, Object> env(Instance i, EnvView view) {
        Map<String, Object> env = new LinkedHashMap<>();
        if (view == EnvView.NONE) {
            return env;
        }
        BiConsumer<String, Object> listed = (name, value) -> env.put(name, view.shown(name, value));
        i.config().env().forEach(listed);
        i.run().moduleEnv().forEach(listed); // the run's pm2 module configuration, as pm2 lists it
        // an app without one: pm2 lists its empty configuration, an object no run sees as a variable
        env.putIfAbsent(i.name(), Map.of());
        String incrementVar = i.config().balancer().incrementVar();
        if (incrementVar != null) {
            // this instance's number, as pm2 shows it in both places
            listed.accept(incrementVar, RunEnvironment.incremented(i));
        }
        return env;
    }

    private static Pm2EnvEcosystem ecosystem(Instance i) {
        AppConfig c = i.config();
        return Pm2EnvEcosystem.KEYS
                .builder()
                .with(Pm2EnvEcosystem.NAMESPACE, c.ecosystem().namespace())
                .with(Pm2EnvEcosystem.PID_PATH, i.pidFile)
                .with(Pm2EnvEcosystem.TREEKILL, c.ecosystem().treekill())
                .with(Pm2EnvEcosystem.AUTOSTART, c.ecosystem().autostart())
                .with(Pm2EnvEcosystem.DISABLE_LOGS, c.ecosystem().disableLogs())
                .with(Pm2EnvEcosystem.WAIT_READY, c.ecosystem().waitReady())
                .with(
                        Pm2EnvEcosystem.LISTEN_TIMEOUT,
                        c.ecosystem().waitReady()
                                        || AppOption.LISTEN_TIMEOUT.givenIn(
                                                c.source().getMap())
                                ? c.balancer().listenTimeoutMs()
                                : null)
                .with(Pm2EnvEcosystem.SHUTDOWN_WITH_MESSAGE, c.ecosystem().shutdownWithMessage())
                .with(Pm2EnvEcosystem.TRACE, c.ecosystem().trace())
                .build();
    }

    /** pm2_env's run fields: status, restarts, uptime, ... ({@link SteadyParts} lists them fresh). */
    static Pm2EnvRun run(Instance i) {
        return Pm2EnvRun.KEYS
                .builder()
                .with(Pm2EnvRun.STATUS, i.state().word())
                .with(Pm2EnvRun.RESTART_TIME, i.counters().restarts())
                .with(Pm2EnvRun.UNSTABLE_RESTARTS, i.counters().unstableRestarts())
                .with(Pm2EnvRun.PM_UPTIME, pmUptime(i))
                .with(Pm2EnvRun.CREATED_AT, i.createdAt)
                .with(Pm2EnvRun.EXIT_CODE, i.run().exitCode())
                .build();
    }

    /**
     * pm2's pm_uptime (pm2 7.0.4, run by hand): the last run's start whatever the status, a
     * stopped or errored app's too, and the app's creation before any run started
     * ({@code --no-autostart}). Never 0: pm2's exporters show {@code now - pm_uptime} as the uptime
     * of every app, and 0 read as 56 years.
     */
    static long pmUptime(Instance i) {
        long started = i.run().startedAt();
        return started > 0 ? started : i.createdAt;
    }

    private static Pm2EnvProgram program(AppConfig c) {
        return Pm2EnvProgram.KEYS
                .builder()
                .with(Pm2EnvProgram.EXEC_MODE, c.execMode() + "_mode")
                .with(Pm2EnvProgram.INSTANCES, c.instances())
                .with(Pm2EnvProgram.EXEC_PATH, c.script())
                .with(Pm2EnvProgram.CWD, c.cwd().toString())
                .with(Pm2EnvProgram.INTERPRETER, c.interpreterName())
                .with(Pm2EnvProgram.INTERPRETER_ARGS, c.interpreterArgs())
                .with(Pm2EnvProgram.NODE_ARGS, c.nodeArgsCleared() ? null : c.interpreterArgs())
                .with(Pm2EnvProgram.ARGS, c.listsArgs() ? c.args() : null)
                .build();
    }

    private static Pm2EnvWatch watch(Instance i) {
        AppConfig c = i.config();
        Object ignoreWatch = c.source().getValue(AppOption.IGNORE_WATCH.key); // as given, as pm2 lists it
        return Pm2EnvWatch.KEYS
                .builder()
                .with(Pm2EnvWatch.WATCH, watchAsGiven(i))
                .with(Pm2EnvWatch.IGNORE_WATCH, ignoreWatch instanceof JsonArray given ? given.getList() : ignoreWatch)
                .withAll(c.watchdog().toJson()::getValue) // the rest as the watchdog holds them
                .build();
    }

    /**
     * pm2_env.watch as pm2 lists it: the paths as the app gave them ({@code ['server', 'client']}) while
     * it watches them, else true or false ({@code restart --watch} toggles it).
     */
    private static Object watchAsGiven(Instance i) {
        Object given = i.config().source().getValue(AppOption.WATCH.key);
        boolean watching = i.watchdog().watch();
        if (watching && given instanceof JsonArray paths) {
            return paths.getList();
        }
        return watching && given instanceof String ? given : watching;
    }

    private static Pm2EnvLogs logs(Instance i) {
        AppConfig c = i.config();
        return Pm2EnvLogs.KEYS
                .builder()
                .with(Pm2EnvLogs.OUT_LOG_PATH, i.outLog)
                .with(Pm2EnvLogs.ERR_LOG_PATH, i.errLog)
                .with(Pm2EnvLogs.MERGE_LOGS, LogPaths.merged(c))
                .with(Pm2EnvLogs.LOG_DATE_FORMAT, c.logs().dateFormat())
                .with(Pm2EnvLogs.LOG_TYPE, c.logs().json() ? "json" : "raw")
                .with(Pm2EnvLogs.LOG_PATH, i.combinedLog())
                .build();
    }

    /** pm2_env's policy keys, each the value its option has in the app's policy. */
    private static Pm2EnvPolicy policy(RestartPolicy p) {
        return Pm2EnvPolicy.KEYS.builder().withAll(p.pm2Values()::get).build();
    }
}
