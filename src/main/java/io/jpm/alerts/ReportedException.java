package io.jpm.alerts;

import io.vertx.core.json.JsonObject;

/** An error @pm2/io reports from inside an app ({@code io.notifyError}, its uncaught exceptions), as the exceptions view takes it. */
final class ReportedException {
    private ReportedException() {}

    /**
     * @param event {@code jpm.events.appMessage}: {"message":{"type":"process:exception","data":{"message","stack",..}}}
     * @return the exception as the LogAggregator sends a stack it found; null for any other message,
     *     and for one the app sent while jpm stopped it on request
     */
    static JsonObject of(JsonObject event) {
        if (Boolean.TRUE.equals(event.getValue("during_stop")) // sent on its way out of a stop jpm asked for
                || !(event.getValue("message") instanceof JsonObject packet)
                || !"process:exception".equals(packet.getValue("type"))
                || !(packet.getValue("data") instanceof JsonObject data)) {
            return null;
        }
        String stack = data.getValue("stack") instanceof String s ? s : "";
        String said = data.getValue("message") instanceof String m ? m : "";
        String first = stack.lines().findFirst().orElse("");
        // a stack's first line is "Name: message", as a stack in the error output begins
        String message = !first.isEmpty() && first.contains(said)
                ? first
                : (data.getValue("name") instanceof String n ? n + ": " : "") + (said.isEmpty() ? "error" : said);
        String place = stack.lines()
                .map(String::trim)
                .filter(l -> l.startsWith("at "))
                .findFirst()
                .orElse("");
        return new JsonObject()
                .put("app", event.getString("app"))
                .put("pm_id", event.getInteger("pm_id", -1))
                .put("message", message)
                .put("place", place)
                .put("stack", stack)
                .put("source", "pm2io")
                .put("time", event.getLong("time", System.currentTimeMillis()));
    }
}
