package io.jpm.balancer;

import io.jpm.protocol.ProcessEvent;
import io.jpm.protocol.ProcessState;
import java.util.HashMap;
import java.util.Map;

/**
 * Which apps have no instance that will come back by itself, read from God's process events: every
 * instance is {@code errored} (or {@code stopped}, at least one errored). Such an app's clients are
 * refused at once instead of each waiting listen_timeout for an instance that will not come. A
 * stopped app alone is not counted: {@code jpm restart} stops every instance before it starts them
 * again, and its clients should wait for that. Pure: no Vert.x, unit-tested; used on the balancer's
 * loop only.
 */
final class ErroredApps {
    private final Map<String, Map<Integer, String>> states = new HashMap<>();

    /** Takes one event in; returns the app it was about. */
    String take(ProcessEvent event) {
        if (event.oldRun() || event.app() == null) {
            return event.app(); // a reload's old run: its pm_id already names the new run
        }
        Map<Integer, String> app = states.computeIfAbsent(event.app(), k -> new HashMap<>());
        if (ProcessEvent.DELETED.equals(event.to())) {
            app.remove(event.pmId());
            if (app.isEmpty()) {
                states.remove(event.app());
            }
        } else {
            app.put(event.pmId(), event.to());
        }
        return event.app();
    }

    /** Why no client of the app should wait, or null when one of its instances runs or may run again. */
    String why(String app) {
        Map<Integer, String> instances = states.get(app);
        if (instances == null || instances.isEmpty()) {
            return null;
        }
        boolean errored = false;
        for (String state : instances.values()) {
            if (ProcessState.ERRORED.is(state)) {
                errored = true;
            } else if (!ProcessState.STOPPED.is(state)) {
                return null;
            }
        }
        return errored ? "every instance is errored or stopped" : null;
    }
}
