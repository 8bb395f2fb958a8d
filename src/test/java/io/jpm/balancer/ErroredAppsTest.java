package io.jpm.balancer;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jpm.protocol.ProcessEvent;
import org.junit.jupiter.api.Test;

/** Which apps no client should wait for: every instance errored (or stopped, one errored at least). */
class ErroredAppsTest {
    private final ErroredApps apps = new ErroredApps();

    private void event(String app, int pmId, String to, boolean oldRun) {
        apps.take(ProcessEvent.builder()
                .app(app)
                .pmId(pmId)
                .to(to)
                .reason("")
                .host("box")
                .oldRun(oldRun)
                .build());
    }

    @Test
    void anAppIsDownOnceEveryInstanceIsErroredAndUpWhenOneStartsAgain() {
        assertNull(apps.why("api"), "nothing known: clients wait as before");
        event("api", 0, "online", false);
        event("api", 1, "online", false);
        event("api", 0, "errored", false);
        assertNull(apps.why("api"), "one instance still runs");
        event("api", 1, "waiting restart", false);
        assertNull(apps.why("api"), "a restart is coming");
        event("api", 1, "errored", false);
        assertNotNull(apps.why("api"));
        event("api", 1, "stopped", false);
        assertNotNull(apps.why("api"), "errored and stopped: nothing comes back by itself");
        event("api", 0, "launching", false);
        assertNull(apps.why("api"));
    }

    @Test
    void aStoppedAppIsNotDownBecauseARestartStopsEveryInstanceFirst() {
        event("api", 0, "stopped", false);
        event("api", 1, "stopped", false);
        assertNull(apps.why("api"));
    }

    @Test
    void oldRunsAndDeletedInstancesDoNotCount() {
        event("api", 0, "errored", false);
        event("api", 1, "online", false);
        event("api", 1, "stopped", true); // a reload's old run of pm_id 1 ends: the new run is online
        assertNull(apps.why("api"));
        event("api", 1, "deleted", false); // scaled down: only the errored one is left
        assertNotNull(apps.why("api"));
        event("api", 0, "deleted", false);
        assertNull(apps.why("api"));
        assertNull(apps.why("other"));
    }
}
