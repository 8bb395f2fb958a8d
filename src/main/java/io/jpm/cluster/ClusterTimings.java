package io.jpm.cluster;

import io.jpm.protocol.JpmEnv;
import java.util.Map;
import java.util.logging.Logger;

/**
 * How soon Hazelcast drops a silent member and looks for another half to merge with, from the
 * daemon's environment (docs/CONFIG.md). The defaults suit a LAN; the ITs shorten both so a test
 * that cuts a member off does not wait the production bounds.
 *
 * @param heartbeatTimeoutSeconds a member silent this long is dropped ({@code JPM_CLUSTER_HEARTBEAT_TIMEOUT_S});
 *     heartbeats go every second, so at least 2
 * @param mergeCheckSeconds how often a member looks for another cluster of the same name to merge
 *     with, and how long after its start it first does ({@code JPM_CLUSTER_MERGE_CHECK_S})
 */
record ClusterTimings(int heartbeatTimeoutSeconds, int mergeCheckSeconds) {
    static final ClusterTimings DEFAULTS = new ClusterTimings(10, 5);
    static final String HEARTBEAT_TIMEOUT = JpmEnv.CLUSTER_HEARTBEAT_TIMEOUT_S.variable;
    static final String MERGE_CHECK = JpmEnv.CLUSTER_MERGE_CHECK_S.variable;
    private static final Logger LOG = Logger.getLogger("jpm.cluster");

    static ClusterTimings fromEnvironment() {
        return from(System.getenv());
    }

    /** An unset variable keeps its default; a bad value too, logged. */
    static ClusterTimings from(Map<String, String> env) {
        return new ClusterTimings(
                seconds(env, HEARTBEAT_TIMEOUT, 2, DEFAULTS.heartbeatTimeoutSeconds),
                seconds(env, MERGE_CHECK, 1, DEFAULTS.mergeCheckSeconds));
    }

    private static int seconds(Map<String, String> env, String name, int minimum, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int seconds = Integer.parseInt(value.strip());
            if (seconds >= minimum) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.warning(() -> name + " must be a whole number of seconds, at least " + minimum + ", got '" + value
                + "': using " + fallback);
        return fallback;
    }
}
