package io.jpm.history;

import io.jpm.protocol.ProcessState;
import java.util.List;

/**
 * The figures the history keeps of each app (and, summed, of the host): their names in the store, in
 * the files and in the API's answer. An app's own metrics are kept under {@link #CUSTOM} + their
 * name.
 */
final class Metrics {
    /** Percent of one core, the app's instances summed. */
    static final String CPU = "cpu";
    /** Resident bytes of the instances' process groups, summed. */
    static final String MEMORY = "memory";
    /** The instances' restart counters, summed: the slot's highest. */
    static final String RESTARTS = "restarts";
    /** Requests a minute (Node's http and https servers, jpm's preload or @pm2/io), summed. */
    static final String REQ_MIN = "req_min";
    /** The event loop's latency, median and 95th percentile (ms): the instances' mean. */
    static final String LOOP_MS = "loop_ms";

    static final String LOOP_P95_MS = "loop_p95_ms";
    /** Instances online: the series is named after the status it counts. */
    static final String ONLINE = ProcessState.ONLINE.word();
    /** The prefix of an app's own metric (its @pm2/io metrics, its metrics_url's samples). */
    static final String CUSTOM = "custom:";

    /** Summed over an app's instances (the others are their mean). */
    static final List<String> SUMMED = List.of(CPU, MEMORY, RESTARTS, REQ_MIN, ONLINE);

    private Metrics() {}

    static boolean isCounter(String metric) {
        return RESTARTS.equals(metric);
    }
}
