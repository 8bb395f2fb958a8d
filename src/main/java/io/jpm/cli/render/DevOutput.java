package io.jpm.cli.render;

import io.jpm.protocol.ProcessEvent;
import io.jpm.protocol.ProcessState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What jpm-dev prints, in pm2-dev's shapes: the apps' lines labelled {@code name-pm_id} (pm2-dev's
 * devStream; {@code --raw}: as the apps wrote them; {@code --timestamp}: the time first), the
 * development-mode banner once the apps have started, and a line each time a run is online again
 * after a restart, with why it was started again (pm2-dev prints {@code [rundev] App api restarted}):
 *
 * <pre>
 * api-0  | listening on 3000
 * [jpm-dev] App api restarted (watch: /srv/api/server.js changed)
 * api-0  | listening on 3000
 * </pre>
 */
public final class DevOutput extends ForegroundOutput {
    private static final String RULE = "=".repeat(79);

    /** Told of each run that is online again after a restart, with the reason it was started again. */
    public interface Restarts {
        void online(ProcessEvent event, String why);
    }

    private final Restarts restarts;
    /** Why each pm_id was last started, until its run is online. */
    private final Map<Integer, String> launchedFor = new HashMap<>();
    /** The pm_ids that have been online once: their next online is a restart. */
    private final Set<Integer> seen = new HashSet<>();

    public DevOutput(LogOutput out, Restarts restarts) {
        super(out);
        this.restarts = restarts;
    }

    @Override
    protected String label(String app, String pmId) {
        return app + "-" + pmId;
    }

    @Override
    protected void lifecycle(ProcessEvent event) {
        String reason = event.reason() == null ? "" : event.reason();
        if (ProcessEvent.DELETED.equals(event.to())) {
            seen.remove(event.pmId());
            launchedFor.remove(event.pmId());
            return;
        }
        ProcessState to = ProcessState.ofWord(event.to());
        if (to == null) {
            return; // a word of another build
        }
        switch (to) {
            case LAUNCHING -> launchedFor.put(event.pmId(), reason);
            case ONLINE -> {
                String why = launchedFor.getOrDefault(event.pmId(), "");
                launchedFor.remove(event.pmId());
                if (!seen.add(event.pmId())) {
                    daemonLine(
                            "App " + event.app() + " restarted" + (why.isEmpty() ? "" : " (" + why + ")"),
                            event.time());
                    restarts.online(event, why);
                }
            }
                // pm2-dev says nothing here, and nothing else would tell that the app has given up
            case ERRORED -> daemonLine(
                    "App " + event.app() + " errored" + (reason.isEmpty() ? "" : " (" + reason + ")")
                            + ": it starts again when a watched file changes",
                    event.time());
            default -> {}
        }
    }

    /** pm2-dev's lines of its own are not stamped, whatever --timestamp says. */
    @Override
    public void daemonLine(String text, long time) {
        out.stream.println("[jpm-dev] " + text);
        out.stream.flush();
    }

    /** pm2-dev's banner once the apps have started: their names, how many processes, what is ignored. */
    public void banner(List<String> apps, int processes, String ignored, String postExec) {
        String title = "--- jpm development mode ";
        out.stream.println(title + "-".repeat(RULE.length() - title.length()));
        field("Apps started", String.join(",", apps));
        field("Processes started", Integer.toString(processes));
        field("Watch and Restart", "Enabled");
        field("Ignored folder", ignored);
        if (postExec != null) {
            field("Post restart cmd", postExec);
        }
        out.stream.println(RULE);
        out.stream.flush();
    }

    private void field(String name, String value) {
        out.stream.println(String.format("%-21s: %s", name, value));
    }
}
