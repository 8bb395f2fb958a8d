package io.jpm.protocol;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A {@link ProcessView}'s {@code pm2_env}: pm2's own fields in pm2's order, after the app's
 * environment, which pm2 merges into pm2_env itself (scripts read {@code pm2_env.NODE_ENV}; pm2's
 * fields, put after, win a clash and keep the variable's place). pm2's fields come in parts that
 * mirror the app's options (policy, logs, watch, ...), each written and read by its key table
 * ({@link Pm2Keys}): first the keys pm2 lists for every app, part by part, then those it lists only
 * for the apps that have them.
 *
 * @param env the app's environment as listed (values, or {@link Access#REDACTED}), and pm2's empty
 *     module configuration under the app's name ({@code {}}, in pm2_env.env only); empty when the
 *     query left it out
 * @param codeMetrics what the app reports from inside (axm_monitor, axm_actions, axm_options)
 * @param pm2Only options that only mean something to Node or pm2.io, as pm2 lists them (vizion, ..)
 */
public record ProcessViewPm2Env(
        Map<String, Object> env,
        String name,
        Pm2EnvEcosystem ecosystem,
        Pm2EnvRun run,
        Pm2EnvProgram program,
        Pm2EnvWatch watch,
        Pm2EnvLogs logs,
        Pm2EnvInstance instance,
        Pm2EnvPolicy policy,
        Pm2EnvFacts facts,
        CodeMetrics codeMetrics,
        Map<String, Object> pm2Only) {
    private static final Pm2Key<Pm2Part, String> NAME = Pm2Key.string("name");
    private static final Pm2Key<Pm2Part, Map<String, Object>> ENV = Pm2Key.object("env");
    /** The row's pm_id, which pm2_env repeats. */
    private static final String PM_ID = "pm_id";

    public ProcessViewPm2Env {
        codeMetrics = codeMetrics == null ? CodeMetrics.NONE : codeMetrics;
        pm2Only = pm2Only == null ? Map.of() : pm2Only;
    }

    /**
     * The keys of pm2_env that change while the app's config does not: pm_id, the run's and the code
     * metrics'. The rest ({@link #steadyMap}) changes only with the config, the instance's log files
     * and ids, and watch or monitoring turned on or off (god.SteadyParts keeps it encoded).
     */
    public static final Set<String> CHANGING = changingKeys();

    private static Set<String> changingKeys() {
        Set<String> keys = new HashSet<>(Pm2EnvRun.KEYS.names());
        keys.add(PM_ID);
        keys.addAll(CodeMetrics.KEYS);
        return Set.copyOf(keys);
    }

    /** pm2_env's {@link #CHANGING} fields as {@link #toMap} writes them. */
    public static Map<String, Object> changingMap(Object listedId, Pm2EnvRun run, CodeMetrics codeMetrics) {
        ProcessViewWriter row = new ProcessViewWriter(false);
        row.full(PM_ID, listedId);
        Pm2EnvRun.KEYS.write(run, row, Pm2Key.Pass.EVERY_APP);
        codeMetrics.writeTo(row);
        return row.map();
    }

    /**
     * pm2_env's fields but the {@link #CHANGING} ones, as {@link #toMap} writes them; with {@link
     * #changingMap}, the same fields and values (a variable named as one of pm2's fields gives way to
     * it, as in toMap).
     */
    public Map<String, Object> steadyMap() {
        Map<String, Object> all = toMap(null, false);
        all.keySet().removeAll(CHANGING);
        return all;
    }

    /** @param listedId the row's pm_id, which pm2_env repeats */
    Map<String, Object> toMap(Object listedId, boolean table) {
        ProcessViewWriter row = new ProcessViewWriter(table);
        for (Map.Entry<String, Object> variable : env.entrySet()) {
            // an object is no variable (pm2's empty module configuration, {@code <name>: {}}): pm2
            // lists it in pm2_env.env only
            if (!(variable.getValue() instanceof Map)) {
                row.full(variable.getKey(), variable.getValue());
            }
        }
        NAME.write(name, row);
        Pm2EnvEcosystem.KEYS.write(ecosystem, row, Pm2Key.Pass.EVERY_APP);
        row.full(PM_ID, listedId);
        Pm2EnvRun.KEYS.write(run, row, Pm2Key.Pass.EVERY_APP);
        Pm2EnvProgram.KEYS.write(program, row, Pm2Key.Pass.EVERY_APP);
        Pm2EnvWatch.KEYS.write(watch, row, Pm2Key.Pass.EVERY_APP);
        ENV.write(env, row);
        Pm2EnvLogs.KEYS.write(logs, row, Pm2Key.Pass.EVERY_APP);
        Pm2EnvInstance.KEYS.write(instance, row, Pm2Key.Pass.EVERY_APP);
        Pm2EnvPolicy.KEYS.write(policy, row, Pm2Key.Pass.EVERY_APP);
        Pm2EnvFacts.KEYS.write(facts, row, Pm2Key.Pass.EVERY_APP);
        codeMetrics.writeTo(row);
        // what pm2 lists only for the apps that have it, in pm2's order
        Pm2EnvFacts.KEYS.write(facts, row, Pm2Key.Pass.WHEN_SET);
        Pm2EnvProgram.KEYS.write(program, row, Pm2Key.Pass.WHEN_SET);
        Pm2EnvLogs.KEYS.write(logs, row, Pm2Key.Pass.WHEN_SET);
        Pm2EnvInstance.KEYS.write(instance, row, Pm2Key.Pass.WHEN_SET);
        for (Map.Entry<String, Object> option : pm2Only.entrySet()) {
            row.full(option.getKey(), option.getValue());
        }
        Pm2EnvWatch.KEYS.write(watch, row, Pm2Key.Pass.WHEN_SET);
        Pm2EnvEcosystem.KEYS.write(ecosystem, row, Pm2Key.Pass.WHEN_SET);
        return row.map();
    }

    /**
     * Reads pm2_env back. What is neither pm2's field nor the app's environment is an option only
     * Node or pm2.io reads ({@link #pm2Only}), kept so the row reads back whole ({@code jpm env}).
     */
    public static ProcessViewPm2Env from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        ProcessViewPm2Env known = new ProcessViewPm2Env(
                ENV.read(f),
                NAME.read(f),
                Pm2EnvEcosystem.KEYS.read(f),
                Pm2EnvRun.KEYS.read(f),
                Pm2EnvProgram.KEYS.read(f),
                Pm2EnvWatch.KEYS.read(f),
                Pm2EnvLogs.KEYS.read(f),
                Pm2EnvInstance.KEYS.read(f),
                Pm2EnvPolicy.KEYS.read(f),
                Pm2EnvFacts.KEYS.read(f),
                CodeMetrics.from(f),
                Map.of());
        Map<String, Object> written = known.toMap(f.get(PM_ID), false);
        Map<String, Object> pm2Only = new LinkedHashMap<>();
        for (Map.Entry<String, Object> field : f.asMap().entrySet()) {
            if (!written.containsKey(field.getKey())
                    || !ProcessViewJson.same(written.get(field.getKey()), field.getValue())) {
                pm2Only.put(field.getKey(), field.getValue());
            }
        }
        return pm2Only.isEmpty()
                ? known
                : new ProcessViewPm2Env(
                        known.env,
                        known.name,
                        known.ecosystem,
                        known.run,
                        known.program,
                        known.watch,
                        known.logs,
                        known.instance,
                        known.policy,
                        known.facts,
                        known.codeMetrics,
                        pm2Only);
    }
}
