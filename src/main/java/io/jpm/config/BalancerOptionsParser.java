package io.jpm.config;

import io.jpm.config.BalancerOptions.Balance;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.Durations;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads the balancer's options of one app ({@code port}, {@code host}, {@code balance},
 * {@code listen_timeout}, {@code instance_var}, {@code increment_var}, {@code proxy_protocol}) and decides what cluster
 * mode means for it:
 * <ul>
 *   <li>a {@code port} is balanced only for an app that asks for it: {@code exec_mode: cluster},
 *       {@code instances} other than 1 (for Node, any {@code instances}: pm2's rule for its cluster
 *       mode), or one of the balancer's own options ({@code balance}, {@code host},
 *       {@code proxy_protocol}); any other app with a port is pm2's fork app, whose port only sets
 *       {@code PORT} in its env (Common.js prepareAppConf), so jpm's options never change what a pm2
 *       file means;
 *   <li>a Node app in cluster mode (pm2's rule: {@code exec_mode: cluster}, or no exec_mode and
 *       {@code instances} given) shares one listening socket ({@code balance: socket}) unless told
 *       otherwise: each listen() of its instances gets the same socket from the daemon, as Node's
 *       cluster module gives pm2's workers theirs; with a {@code port}, that socket is opened at start;
 *   <li>any other balanced app shares a socket passed at fd 3 by systemd's rules when its program
 *       takes one with nothing more said ({@link Program#takesSocket}: gunicorn, or arguments that
 *       name fd 3), else is proxied by the ClusterBalancer over TCP ({@code round-robin}), unless
 *       {@code balance} says otherwise;
 *   <li>{@code exec_mode: cluster} without a port, not Node: the instances run side by side,
 *       unbalanced (AppConfigParser warns).
 * </ul>
 */
final class BalancerOptionsParser {
    private static final String ENV_NAME = "[A-Za-z_][A-Za-z0-9_]*";
    /** jpm's own options that only the balancer reads: an app that sets one asks to be balanced. */
    private static final List<String> BALANCER_OPTIONS = List.of(
            AppOption.BALANCE.key,
            AppOption.HOST.key,
            AppOption.PROXY_PROTOCOL.key,
            AppOption.PREFER.key,
            AppOption.STICKY.key);

    private final String where;
    private final String label;
    /** An option's value jpm does not act on: a warning, the app runs without it (strict reading refuses). */
    private final Consumer<String> warn;

    BalancerOptionsParser(String where, String label, Consumer<String> warn) {
        this.where = where;
        this.label = label;
        this.warn = warn;
    }

    /**
     * @param execMode "fork" or "cluster" as the app declared it, null when it did not
     * @param env the app's environment, for increment_var's base number
     * @param program what the app runs, for the defaults of balance and listen_timeout
     */
    BalancerOptions parse(JsonObject app, String execMode, Map<String, String> env, Program program) {
        boolean node = program.node();
        Integer port = port(app);
        String asked =
                BALANCER_OPTIONS.stream().filter(app::containsKey).findFirst().orElse(null);
        if ("fork".equals(execMode) && asked != null) {
            throw error(asked, "is the balancer's, and a fork app (exec_mode fork) has none: use exec_mode cluster");
        }
        String instanceVar = envName(app, AppOption.INSTANCE_VAR);
        String incrementVar = envName(app, AppOption.INCREMENT_VAR);
        boolean balancedPort = port != null
                && !"fork".equals(execMode)
                && ("cluster".equals(execMode) || asksForInstances(app, node) || asked != null);
        if (port != null && !balancedPort) {
            return new BalancerOptions(
                    null,
                    BalancerOptions.DEFAULT_HOST,
                    Balance.ROUND_ROBIN,
                    listenTimeout(app, program.listenTimeoutMs(false)),
                    instanceVar,
                    incrementVar,
                    false,
                    null,
                    null,
                    port);
        }
        // pm2 (Common.js determineExecMode): a node app with instances and no exec_mode is a cluster app
        boolean nodeCluster =
                node && ("cluster".equals(execMode) || (execMode == null && app.containsKey(AppOption.INSTANCES.key)));
        String host = string(app, AppOption.HOST, AppOption.HOST.textDefault());
        if (host.isBlank()) {
            throw error(AppOption.HOST.key, "must not be empty");
        }
        Balance fallback = nodeCluster || (node && port != null) || (port != null && program.takesSocket())
                ? Balance.SOCKET
                : Balance.ROUND_ROBIN;
        String balanceWord = string(app, AppOption.BALANCE, fallback.word());
        Balance balance = Balance.fromWord(balanceWord);
        if (balance == null) {
            throw error(
                    AppOption.BALANCE.key,
                    "must be one of "
                            + Arrays.stream(Balance.values()).map(Balance::word).collect(Collectors.joining(", "))
                            + ", got '" + balanceWord + "'");
        }
        if (balance == Balance.SOCKET && port == null && !nodeCluster) {
            throw error(
                    AppOption.BALANCE.key,
                    node
                            ? "'socket' needs exec_mode cluster (or instances, or a 'port')"
                            : "'socket' needs a 'port' for an app that is not Node: jpm opens it and passes it at fd 3"
                                    + " (only Node apps are handed the port they listen() on)");
        }
        boolean proxyProtocol = bool(app, AppOption.PROXY_PROTOCOL);
        if (proxyProtocol && (balance == Balance.HTTP || balance == Balance.SOCKET)) {
            throw error(
                    AppOption.PROXY_PROTOCOL.key,
                    balance == Balance.HTTP
                            ? "is for the TCP modes (round-robin, least-connections); HTTP mode adds Forwarded and X-Forwarded-For"
                            : "is for the TCP modes (round-robin, least-connections); in socket mode the app sees the client's address itself");
        }
        String prefer = string(app, AppOption.PREFER, null);
        String sticky = checkRouting(balance, prefer, string(app, AppOption.STICKY, null));
        for (String option : BALANCER_OPTIONS) {
            if (port == null
                    && app.containsKey(option)
                    && !(option.equals(AppOption.BALANCE.key) && balance == Balance.SOCKET)) {
                throw error(option, "needs a 'port' to balance");
            }
        }
        if (balance == Balance.SOCKET && node && !app.containsKey(AppOption.HOST.key)) {
            host = null; // a Node app's own listen() says where: its address is honoured, as under pm2
        }
        boolean balanced = port != null || balance == Balance.SOCKET;
        long listenTimeout = listenTimeout(app, program.listenTimeoutMs(balanced));
        return new BalancerOptions(
                port, host, balance, listenTimeout, instanceVar, incrementVar, proxyProtocol, prefer, sticky, null);
    }

    /**
     * {@code prefer} and {@code sticky}: known values, a proxy mode, and not both. Returns the sticky
     * jpm acts on; {@code "cookie"} in HTTP mode only.
     */
    private String checkRouting(Balance balance, String prefer, String sticky) {
        if (prefer != null && !"local".equals(prefer)) {
            throw error(AppOption.PREFER.key, "must be \"local\", got '" + prefer + "'");
        }
        if (sticky != null && !"ip".equals(sticky) && !"cookie".equals(sticky)) {
            throw error(AppOption.STICKY.key, "must be \"ip\" or \"cookie\", got '" + sticky + "'");
        }
        String option = sticky != null ? AppOption.STICKY.key : AppOption.PREFER.key;
        if ((sticky != null || prefer != null) && balance == Balance.SOCKET) {
            throw error(
                    option,
                    "is for the proxy modes (round-robin, least-connections, http): in socket mode the kernel deals"
                            + " each connection to one of this host's instances");
        }
        if (sticky != null && prefer != null) {
            throw error(
                    AppOption.STICKY.key,
                    "and 'prefer' do not go together: sticky sends a client to the same instance from every host");
        }
        if ("cookie".equals(sticky) && balance != Balance.HTTP) {
            throw error(
                    AppOption.STICKY.key,
                    "\"cookie\" is for HTTP mode (balance: \"http\"): a TCP front does not read requests;"
                            + " \"ip\" is sticky in every proxy mode");
        }
        return sticky;
    }

    /** {@code instances} that make cluster mode: any for Node (pm2's rule), other than 1 for the others. */
    private static boolean asksForInstances(JsonObject app, boolean node) {
        Object value = app.getValue(AppOption.INSTANCES.key);
        return value != null
                && (node || !(value.equals(1) || value.equals(1L) || value.equals(1.0) || "1".equals(value)));
    }

    private Integer port(JsonObject app) {
        Object value = app.getValue(AppOption.PORT.key);
        if (value == null) {
            return null;
        }
        long n;
        if (value instanceof Number number && number.doubleValue() == number.longValue()) {
            n = number.longValue();
        } else if (value instanceof String s && s.matches("\\d{1,5}")) {
            n = Long.parseLong(s);
        } else {
            throw error(AppOption.PORT.key, "must be a port number 1-65535, got " + value);
        }
        if (n < 1 || n > 65535) {
            throw error(AppOption.PORT.key, "must be a port number 1-65535, got " + n);
        }
        return (int) n;
    }

    private long listenTimeout(JsonObject app, long fallback) {
        Object value = app.getValue(AppOption.LISTEN_TIMEOUT.key);
        if (value == null) {
            return fallback;
        }
        long ms = Durations.millis(value);
        if (ms <= 0) {
            throw error(
                    AppOption.LISTEN_TIMEOUT.key,
                    "must be a positive duration (milliseconds, or like \"500ms\", \"3s\"), got " + value);
        }
        return ms;
    }

    /** A boolean option given as one (a string is refused here), its declared default when not given. */
    private boolean bool(JsonObject app, AppOption option) {
        Object value = app.getValue(option.key);
        if (value == null || value instanceof Boolean) {
            return value == null ? option.booleanDefault() : (Boolean) value;
        }
        throw error(option.key, "must be true or false, got " + value);
    }

    /** A variable's name, its declared default (null for none) when not given. */
    private String envName(JsonObject app, AppOption option) {
        String name = string(app, option, option.textDefault());
        if (name != null && !name.matches(ENV_NAME)) {
            throw error(option.key, "must be an environment variable name, got '" + name + "'");
        }
        return name;
    }

    private String string(JsonObject app, AppOption option, String fallback) {
        try {
            return option.textFrom(app.getMap(), fallback);
        } catch (IllegalArgumentException e) {
            throw error(option.key, e.getMessage());
        }
    }

    private JpmException error(String option, String problem) {
        return new JpmException(JpmError.INVALID_CONFIG, where + ": " + label + ": option '" + option + "' " + problem);
    }
}
