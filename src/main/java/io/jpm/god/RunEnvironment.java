package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.config.BalancerOptions;
import io.jpm.config.ModuleConf;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.BlockingCall;
import io.jpm.protocol.JpmEnv;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.JpmHome;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/** What a run's environment holds beyond the app's own env (called off the event loop, at spawn). */
final class RunEnvironment {
    private static final Logger LOG = Logger.getLogger("jpm.god");

    private RunEnvironment() {}

    /** Where an instance behind the TCP or HTTP proxy is told to listen, in HOST beside its private PORT. */
    static final String PRIVATE_HOST = "127.0.0.1";

    /**
     * The run's environment: the app's env, the instance index in JPM_INSTANCE_ID and in pm2's
     * instance_var (NODE_APP_INSTANCE unless renamed), increment_var's number plus the index, and
     * for a balanced app its private PORT (which wins over an increment_var named PORT) and HOST
     * 127.0.0.1, unless the app's own env (or env_&lt;name&gt;) sets HOST; pm2's pm_id, name and
     * exec_mode. {@code moduleEnv} (see {@link #moduleEnv}) goes over the app's env, under all of those.
     */
    static Map<String, String> of(Instance instance, int port, Path home, Map<String, String> moduleEnv) {
        Map<String, String> env = new HashMap<>(instance.config().env());
        env.putAll(moduleEnv);
        BalancerOptions balancing = instance.config().balancer();
        String index = Integer.toString(instance.index);
        env.put(JpmEnv.INSTANCE_ID.variable, index);
        env.put(balancing.instanceVar(), index);
        if (balancing.incrementVar() != null) {
            env.put(balancing.incrementVar(), Long.toString(incremented(instance)));
        }
        if (port > 0) {
            env.put("PORT", Integer.toString(port));
            if (!declaresHost(instance.config())) {
                // the private port is the balancer's way in, not the world's: an app that binds HOST:PORT
                // stays on loopback (an inherited HOST is often the machine's name, set by tcsh)
                env.put("HOST", PRIVATE_HOST);
            }
        }
        env.put("pm_id", Integer.toString(instance.pmId));
        env.put("name", instance.name());
        // as pm2 gives it; jpm-errors.js logs in the mode's own words by it
        env.put(AppOption.EXEC_MODE.key, instance.config().execMode() + "_mode");
        env.put(JpmEnv.HOME.variable, home.toString());
        return env;
    }

    /**
     * increment_var's value for this instance: the app's env's number plus the instance index; 0 when
     * env does not set it to a whole number (pm2's God.js: {@code Number(env[var]) || 0}).
     */
    static long incremented(Instance instance) {
        String base = instance.config()
                .env()
                .getOrDefault(instance.config().balancer().incrementVar(), "0")
                .strip();
        return (base.matches("\\d{1,18}") ? Long.parseLong(base) : 0) + instance.index;
    }

    /** {@link #of} without pm2's module configuration: for what does not spawn (the PORT a run was given). */
    static Map<String, String> of(Instance instance, int port, Path home) {
        return of(instance, port, home, Map.of());
    }

    /**
     * pm2's module configuration for a run (JPM_HOME/module_conf.json, {@code jpm set <app>.<key>}),
     * read at each spawn as pm2 reads it at each start and restart by name: the entry named after
     * the app's namespace, then the one named after the app over it (pm2 merges the namespace's on
     * {@code restart <namespace>}, which {@code set <namespace>.<key>} does). Over the app's whole env,
     * env_&lt;name&gt; included: a value set is the value the app gets. A file that does not read is
     * logged and ignored, as pm2 does. Blocking: call it off the event loop.
     */
    static Map<String, String> moduleEnv(Path home, AppConfig config) {
        BlockingCall.check("a read of module_conf.json");
        Path file = new JpmHome(home).moduleConf();
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            JsonObject conf = ModuleConf.parse(file.toString(), Files.readString(file));
            Map<String, String> env = new LinkedHashMap<>();
            String namespace = config.ecosystem().namespace();
            if (namespace != null && !namespace.equals(config.name())) {
                env.putAll(ModuleConf.env(conf, namespace));
            }
            env.putAll(ModuleConf.env(conf, config.name()));
            return env;
        } catch (IOException | JpmException e) {
            LOG.warning(() -> config.name() + " starts without its module configuration: " + e.getMessage());
            return Map.of();
        }
    }

    /** Whether the app's file (or command line) set HOST itself, in env or in the env_<name> it runs with. */
    private static boolean declaresHost(AppConfig config) {
        JsonObject source = config.source();
        String named = config.origin().envName();
        return hasHost(source.getValue(AppOption.ENV.key))
                || (named != null && hasHost(source.getValue(AppOption.ENV.key + "_" + named)));
    }

    private static boolean hasHost(Object env) {
        return env instanceof JsonObject object && object.containsKey("HOST");
    }
}
