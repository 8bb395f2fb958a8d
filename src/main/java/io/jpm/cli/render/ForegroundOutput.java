package io.jpm.cli.render;

import io.jpm.cli.transport.Json;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.LogLine;
import io.jpm.protocol.ProcessEvent;

/**
 * What a daemon run in the foreground prints of the daemon's events and of itself: jpm-runtime and
 * {@code start --no-daemon} ({@link RuntimeOutput}), jpm-dev ({@link DevOutput}). Both print the
 * apps' lines with {@link LogOutput} and differ in the label of a line and in what they say of a
 * lifecycle change.
 */
public abstract class ForegroundOutput {
    protected final LogOutput out;

    protected ForegroundOutput(LogOutput out) {
        this.out = out;
    }

    /** One bridge message: {"address":..., "body":...}: a batch of the apps' lines, or a process event. */
    public final void event(Json.Value message) {
        Json.Value body = message.path("body");
        if (Addresses.EVENTS_LOG.equals(message.path("address").asText())) {
            for (Json.Value json : body.path("lines")) {
                LogLine line = LogLine.from(json.asMap());
                String pmId = Integer.toString(line.pmId());
                out.line(label(line.app(), pmId), line.app(), pmId, line.stream(), line.line(), line.time());
            }
        } else {
            ProcessEvent event = ProcessEvent.from(body.asMap());
            if (!event.oldRun()) {
                // a reload's old run: its pm_id already belongs to the new run, which has its own events
                lifecycle(event);
            }
        }
        out.stream.flush();
    }

    /** The label of an app's line ({@code api-0} for jpm-dev, {@code 0|api} for jpm-runtime). */
    protected abstract String label(String app, String pmId);

    /** What is printed of a lifecycle change of a current run. */
    protected abstract void lifecycle(ProcessEvent event);

    /** A line of the foreground command's own (starting, stopping, the daemon's exit). */
    public abstract void daemonLine(String text, long time);
}
