package io.jpm.protocol;

/**
 * The daemon's JIT, chosen by the client that starts it (cli.transport.DaemonJvm) and passed as a
 * system property: C1 alone, or both tiers for a daemon that relays its apps' traffic.
 */
public enum DaemonJit {
    C1,
    C2;

    /** The daemon's system property naming it. */
    public static final String PROPERTY = "jpm.jit";

    /** {@code -Djpm.jit=c1} or {@code c2}. */
    public String flag() {
        return "-D" + PROPERTY + "=" + name().toLowerCase(java.util.Locale.ROOT);
    }

    /** This JVM's, as its client named it; C2 when not named (JPM_DAEMON_OPTS, a test's daemon): both tiers, the JVM's default. */
    public static DaemonJit current() {
        return "c1".equals(System.getProperty(PROPERTY)) ? C1 : C2;
    }
}
