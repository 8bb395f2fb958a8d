package io.jpm.satan;

import io.jpm.config.WatchdogOptions;
import io.jpm.protocol.ProcessState;
import java.util.Map;

/**
 * What Satan knows of one pm_id: its state and current run from process events, its options and
 * environment from God's {@link io.jpm.protocol.RunFacts}. Shared by the rules; touched only on
 * Satan's event loop.
 */
final class Watched {
    final int pmId;
    String app;
    ProcessState state = ProcessState.STOPPED;
    /** The run the rules judge: set when it comes online, cleared when it ends. */
    Integer pid;
    /** True once God's facts were read: the options below are the instance's. */
    boolean known;
    /** The pid the last facts were read for (null for an instance with no run). */
    Integer factsPid;

    WatchdogOptions options = WatchdogOptions.NONE;
    String cwd = "/";
    Integer port;
    Map<String, String> env = Map.of();

    Watched(int pmId) {
        this.pmId = pmId;
    }

    /** True when the facts were read for the run being judged, so a probe may start on it. */
    boolean factsAreForCurrentRun() {
        return pid != null && pid.equals(factsPid);
    }
}
