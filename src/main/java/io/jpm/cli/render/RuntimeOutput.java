package io.jpm.cli.render;

import io.jpm.protocol.ProcessEvent;
import io.jpm.protocol.ProcessState;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * What jpm-runtime (and start --no-daemon) print of the daemon's events: the apps' lines in
 * {@link LogOutput}'s shapes, and a line per lifecycle change where pm2-runtime prints its
 * in-process God's log ({@code 2026-11-22T23:00:33: PM2 log: App [a:0] online}):
 *
 * <pre>
 * raw (default)   2026-11-22T23:00:33: jpm log: App [a:0] online      the apps' own lines as they are
 * --formatted     jpm | App [a:0] online                               0|a | line
 * --json          {"timestamp":"...","type":"process_event","status":"online","app_name":"a"}  (pm2's jsonStream)
 * --format        timestamp=... app=jpm type=jpm message=App [a:0] online
 * </pre>
 */
public final class RuntimeOutput extends ForegroundOutput {
    private static final DateTimeFormatter PM2_LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    public RuntimeOutput(LogOutput out) {
        super(out);
    }

    @Override
    protected String label(String app, String pmId) {
        return pmId + "|" + app;
    }

    @Override
    protected void lifecycle(ProcessEvent event) {
        String app = event.app();
        String status = event.to();
        long time = event.time() == 0 ? System.currentTimeMillis() : event.time();
        if (out.shape == LogOutput.Shape.JSON) {
            out.stream.println("{\"timestamp\":"
                    + LogOutput.quote(Instant.ofEpochMilli(time).toString()) + ",\"type\":\"process_event\",\"status\":"
                    + LogOutput.quote(status) + ",\"app_name\":" + LogOutput.quote(app) + "}");
            return;
        }
        String reason = event.reason() == null ? "" : event.reason();
        String text = "App [" + app + ":" + event.pmId() + "] "
                + (ProcessState.LAUNCHING.is(status) ? "starting" : status)
                + (reason.isEmpty() || ProcessState.ONLINE.is(status) || ProcessState.LAUNCHING.is(status)
                        ? ""
                        : " (" + reason + ")");
        daemonLine(text, time);
    }

    /** pm2-runtime's "PM2 log:" shape when raw, the daemon's label otherwise. */
    @Override
    public void daemonLine(String text, long time) {
        if (out.shape == LogOutput.Shape.RAW) {
            out.stream.println(
                    LocalDateTime.ofInstant(Instant.ofEpochMilli(time), ZoneId.systemDefault())
                                    .format(PM2_LOG_TIME) + ": jpm log: " + text);
        } else if (out.shape == LogOutput.Shape.JSON) {
            out.stream.println("{\"message\":" + LogOutput.quote(text) + ",\"timestamp\":"
                    + LogOutput.quote(Instant.ofEpochMilli(time).toString())
                    + ",\"type\":\"jpm\",\"process_id\":null,\"app_name\":\"jpm\"}");
        } else {
            out.line("jpm", "jpm", "null", "jpm", text, time);
        }
        out.stream.flush();
    }
}
