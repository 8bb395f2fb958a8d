package io.jpm.config;

import io.jpm.protocol.JpmEnv;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The bridge's settings, the {@code "bridge"} section of JPM_HOME/jpm.json, read when the daemon
 * starts (an edit applies at its next start): where the CLI's door listens and its TLS.
 *
 * <pre>{"host": "0.0.0.0", "port": 9700, "tls_key": "bridge.key", "tls_cert": "bridge.crt"}</pre>
 *
 * The environment's {@code JPM_BRIDGE_HOST} and {@code JPM_BRIDGE_PORT} win over host and port.
 *
 * @param host the address to listen on (loopback by default)
 * @param port the port, {@link #DEFAULT_PORT} unless told; 0 picks a free one (daemon.json tells which)
 * @param tls the door's TLS ({@link DoorTls}: tls_key, tls_cert, tls_ca, insecure_no_tls)
 * @param limits what a connection may cost ({@link DoorLimits}: max_connections, idle_timeout_ms, auth_timeout_ms)
 */
public record BridgeSettings(String host, int port, DoorTls tls, DoorLimits limits) {
    /**
     * The same port at every start, so a client configured once finds the daemon after a restart
     * (pm2's sockets are fixed paths in PM2_HOME). 9620: next to pm2's and jpm's web port 9615, in
     * the user range, unassigned by IANA (9619-9627 lie between condor's 9618 and odbcpathway's 9628)
     * and outside Linux's ephemeral range (32768-60999), so no outgoing connection holds it by chance.
     * A second daemon (another JPM_HOME) finds it taken and falls back to a free port.
     */
    public static final int DEFAULT_PORT = 9620;

    public static final BridgeSettings DEFAULTS =
            new BridgeSettings("127.0.0.1", DEFAULT_PORT, DoorTls.NONE, DoorLimits.DEFAULTS);
    private static final Set<String> OPTIONS = Stream.concat(
                    Stream.of("host", "port", "tls_key", "tls_cert", DoorTls.CA, "insecure_no_tls"),
                    DoorLimits.OPTIONS.stream())
            .collect(Collectors.toUnmodifiableSet());

    /** Validates a section: unknown options and wrong types are refused, naming the file and the option. */
    public static BridgeSettings parse(String where, JsonObject section) {
        for (String key : section.fieldNames()) {
            if (!OPTIONS.contains(key)) {
                String hint = Spelling.closest(key, OPTIONS)
                        .map(s -> " (did you mean '" + s + "'?)")
                        .orElse("");
                throw new JpmException(
                        JpmError.INVALID_CONFIG, where + ": bridge: option '" + key + "' is not a known option" + hint);
            }
        }
        if (section.containsKey("host") && !(section.getValue("host") instanceof String s && !s.isBlank())) {
            throw new JpmException(
                    JpmError.INVALID_CONFIG,
                    where + ": bridge: option 'host' must be an address to listen on, like \"127.0.0.1\", got "
                            + section.getValue("host"));
        }
        Object port = section.getValue("port");
        if (port != null
                && !(port instanceof Number n
                        && n.doubleValue() == n.intValue()
                        && n.intValue() >= 0
                        && n.intValue() <= 65535)) {
            throw new JpmException(
                    JpmError.INVALID_CONFIG,
                    where + ": bridge: option 'port' must be a port number from 0 to 65535, got " + port);
        }
        DoorTls.check(where, "bridge", section);
        DoorLimits.checkBridge(where, section);
        return from(section);
    }

    /** The settings of an already validated section; absent options keep their defaults. */
    public static BridgeSettings from(JsonObject section) {
        if (section == null) {
            return DEFAULTS;
        }
        return new BridgeSettings(
                section.getString("host", DEFAULTS.host),
                section.getInteger("port", DEFAULTS.port),
                DoorTls.from(section),
                DoorLimits.from(section));
    }

    /** These settings with the environment's JPM_BRIDGE_HOST and JPM_BRIDGE_PORT over host and port. */
    public BridgeSettings withEnvironment(Map<String, String> env) {
        String envHost = JpmEnv.BRIDGE_HOST.in(env);
        String envPort = JpmEnv.BRIDGE_PORT.in(env);
        return new BridgeSettings(
                envHost == null || envHost.isBlank() ? host : envHost,
                envPort == null || envPort.isBlank() ? port : Integer.parseInt(envPort.trim()),
                tls,
                limits);
    }
}
