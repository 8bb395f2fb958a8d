package io.jpm.god;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.logging.Logger;

/**
 * The errors a Node app reports with @pm2/io ({@code io.notifyError}, and the exceptions its handlers
 * catch: {@code process:exception}), written to daemon.log in one line each, with the app, the
 * pm_id and the pid. An app that reports in a loop cannot flood the log: a run's first
 * {@link #FIRST_LINES} are written, then one in {@link #EVERY} with its count. They also go on the
 * bus ({@code jpm.events.appMessage}), as pm2 publishes them on its own. God's event loop.
 */
final class ReportedExceptions {
    private static final Logger LOG = Logger.getLogger("jpm.god");
    static final int FIRST_LINES = 20;
    static final int EVERY = 100;
    /** How long a line of the message and stack may be in daemon.log. */
    static final int MAX_TEXT = 2000;

    /** Reports counted by run (its channel), forgotten with it. */
    private final Map<Object, long[]> counts = new WeakHashMap<>();

    void reported(Instance instance, JsonObject data) {
        long n = ++counts.computeIfAbsent(instance.channel() == null ? instance : instance.channel(), k -> new long[1])[
                0];
        if (n > FIRST_LINES && n % EVERY != 0) {
            return;
        }
        String text = line(data);
        String count = n > FIRST_LINES ? " (its " + n + "th report, only one in " + EVERY + " is written)" : "";
        LOG.warning(() -> "pm_id " + instance.pmId + " (" + instance.name() + ") pid " + instance.pid()
                + " reported an error" + count + ": " + text);
    }

    /** {@code "name: message"}, then the stack's first lines: what @pm2/io sends of an error. */
    static String line(JsonObject data) {
        Object stack = data.getValue("stack");
        String text = stack instanceof String s && !s.isBlank()
                ? s
                : (data.getValue("name") instanceof String name ? name + ": " : "") + data.getValue("message");
        text = text.replace("\n", " | ");
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "..." : text;
    }
}
