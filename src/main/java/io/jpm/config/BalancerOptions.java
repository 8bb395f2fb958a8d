package io.jpm.config;

import io.jpm.protocol.BalancedAppSpec;

/**
 * How an app is balanced (issue 5): its public port and address, how connections are spread, how
 * long an instance may take to become ready, and pm2's per-instance variables. See docs/CONFIG.md.
 *
 * @param port the public port the balancer owns; null for an app that is not balanced
 * @param host the address the public port is bound to (127.0.0.1 unless told)
 * @param balance how connections or requests are spread
 * @param listenTimeoutMs how long a new instance may take to become ready (pm2's listen_timeout)
 * @param instanceVar the env variable that gets the instance index (pm2's instance_var)
 * @param incrementVar an env variable whose number is increased by the instance index (pm2's increment_var)
 * @param proxyProtocol TCP modes: a PROXY protocol v2 header tells each instance its client's address
 */
public record BalancerOptions(
    Integer port,
    String host,
    Balance balance,
    long listenTimeoutMs,
    String instanceVar,
    String incrementVar,
    boolean proxyProtocol) {

  /** pm2's default listen_timeout. */
  public static final long DEFAULT_LISTEN_TIMEOUT_MS = 3000;
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final String DEFAULT_INSTANCE_VAR = "NODE_APP_INSTANCE";

  /** The ways the balancer spreads load; the wire word is the option's value. */
  public enum Balance {
    /** TCP: each new connection to the next ready instance. */
    ROUND_ROBIN("round-robin"),
    /** TCP: each new connection to the ready instance with the fewest open connections. */
    LEAST_CONNECTIONS("least-connections"),
    /** HTTP/1.1 proxy: each request to the ready instance with the fewest requests in flight. */
    HTTP("http");

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
    return new BalancerOptions(null, DEFAULT_HOST, Balance.ROUND_ROBIN, DEFAULT_LISTEN_TIMEOUT_MS, DEFAULT_INSTANCE_VAR, null, false);
  }

  /** What God tells the balancer when it opens the app's public port. */
  public BalancedAppSpec spec(String app) {
    return new BalancedAppSpec(app, host, port == null ? 0 : port, balance.word(), listenTimeoutMs, proxyProtocol);
  }

  /** True when the balancer owns a public port for this app. */
  public boolean balanced() {
    return port != null;
  }
}
