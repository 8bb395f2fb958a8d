package io.jpm.protocol;

/**
 * How long a daemon's start may take: the daemon gives up and exits after it (DaemonMain), and a
 * client that started one waits as long for its first answer. A clustered daemon's start includes its
 * join (Hazelcast gives a join up to 60 s, then the bus's TLS handshakes), which took over
 * 30 s on a loaded CI machine: the client, waiting 30 s whatever the daemon, stopped one still joining.
 */
public final class StartDeadline {
    /** A daemon alone. */
    public static final long ALONE_MS = 30_000;
    /** A daemon whose jpm.json has a cluster section. */
    public static final long CLUSTERED_MS = 90_000;

    private StartDeadline() {}

    /** The deadline of a daemon that joins a cluster or not. */
    public static long of(boolean clustered) {
        return clustered ? CLUSTERED_MS : ALONE_MS;
    }
}
