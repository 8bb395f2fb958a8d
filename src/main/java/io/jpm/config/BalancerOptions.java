package io.jpm.config;

import io.jpm.protocol.AppOption;
import io.jpm.protocol.BalancedAppSpec;

/**
 * How an app is balanced: its public port and address, how connections are spread, how
 * long an instance may take to become ready, and pm2's per-instance variables. See docs/CONFIG.md.
 *
 * @param port the public port the balancer owns, or the port of socket mode's shared socket; null
 *     for an app that is not balanced (and for a Node app in socket mode, whose listen() says it)
 * @param host the address the public port (or the shared socket) is bound to (127.0.0.1 unless told)
 * @param balance how connections or requests are spread
 * @param listenTimeoutMs how long a new instance may take to become ready (pm2's listen_timeout)
 * @param instanceVar the env variable that gets the instance index (pm2's instance_var)
 * @param incrementVar an env variable whose number is increased by the instance index (pm2's increment_var)
 * @param proxyProtocol TCP modes: a PROXY protocol v2 header tells each instance its client's address
 * @param prefer {@code "local"}: a fleet app's front keeps requests on its own host's instances while
 *     one of them is ready; null otherwise
 * @param sticky {@code "ip"} (a hash of the client's address): each client goes to the same instance
 *     from every front while it is ready; null otherwise
 * @param envPort pm2's meaning of {@code port} for an app jpm does not balance: the PORT its env
 *     gets (null for a balanced app, or without a port)
 */
public record BalancerOptions(
        Integer port,
        String host,
        Balance balance,
        long listenTimeoutMs,
        String instanceVar,
        String incrementVar,
        boolean proxyProtocol,
        String prefer,
        String sticky,
        Integer envPort) {

    /** pm2's default listen_timeout, jpm's for an app it does not balance (see {@link Program#listenTimeoutMs}). */
    public static final long DEFAULT_LISTEN_TIMEOUT_MS = Program.PM2_LISTEN_TIMEOUT_MS;

    public static final String DEFAULT_HOST = AppOption.HOST.textDefault();
    public static final String DEFAULT_INSTANCE_VAR = AppOption.INSTANCE_VAR.textDefault();

    /** The ways the balancer spreads load; the wire word is the option's value. */
    public enum Balance {
        /** TCP: each new connection to the next ready instance. */
        ROUND_ROBIN("round-robin"),
        /** TCP: each new connection to the ready instance with the fewest open connections. */
        LEAST_CONNECTIONS("least-connections"),
        /** HTTP/1.1 proxy: each request to the ready instance with the fewest requests in flight. */
        HTTP("http"),
        /**
         * No proxy: one listening socket opened by the daemon and shared by every instance (passed at
         * fd 3 by systemd's rules, or handed to a Node app's listen() over its IPC pipe); the kernel
         * gives each connection to one of them.
         */
        SOCKET("socket");

        private final String word;

        Balance(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        public static Balance fromWord(String word) {
            for (Balance b : values()) {
                if (b.word.equals(word)) {
                    return b;
                }
            }
            return null;
        }
    }

    public static BalancerOptions none() {
        return new BalancerOptions(
                null,
                DEFAULT_HOST,
                Balance.ROUND_ROBIN,
                DEFAULT_LISTEN_TIMEOUT_MS,
                DEFAULT_INSTANCE_VAR,
                null,
                AppOption.PROXY_PROTOCOL.booleanDefault(),
                null,
                null,
                null);
    }

    /** The same options with another listen_timeout ({@code jpm reload --listen-timeout}, as pm2's). */
    public BalancerOptions withListenTimeout(long ms) {
        return new BalancerOptions(
                port, host, balance, ms, instanceVar, incrementVar, proxyProtocol, prefer, sticky, envPort);
    }

    /** What God tells the balancer when it opens the app's public port. */
    public BalancedAppSpec spec(String app) {
        return new BalancedAppSpec(
                app, host, port == null ? 0 : port, balance.word(), listenTimeoutMs, proxyProtocol, prefer, sticky);
    }

    /** True when the ClusterBalancer owns a public port for this app and proxies it (TCP or HTTP). */
    public boolean balanced() {
        return port != null && balance != Balance.SOCKET;
    }

    /**
     * True when the instances share one listening socket the daemon opens (socket mode): the app's
     * {@code port} when given, else (Node apps) whatever port each listen() asks for.
     */
    public boolean sharesSocket() {
        return balance == Balance.SOCKET;
    }
}
