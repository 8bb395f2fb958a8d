package io.jpm.god;

import io.vertx.core.json.JsonObject;

/**
 * What Satan reported of an instance: its last usage sample, its health verdicts and metrics
 * scrapes (each for the run with a given pid), and why it last restarted the instance. Part of
 * {@link Instance}; God's event loop only.
 */
final class SatanReports {
    private double cpu;
    private long memory;
    /** Why Satan last restarted this instance (health, memory, cron, watch, errored retry). */
    private String lastRestart;
    /** Satan's last health verdict for the run with pid {@link #healthPid}, and why. */
    private String health;

    private String healthReason;
    private Integer healthPid;
    /** Satan's last scrape of the metrics_url of the run with pid {@link #appMetricsPid}. */
    private JsonObject appMetrics;

    private Integer appMetricsPid;

    /** A reload's new run: only why Satan last restarted the instance carries over. */
    SatanReports nextRun() {
        SatanReports next = new SatanReports();
        next.lastRestart = lastRestart;
        return next;
    }

    double cpu() {
        return cpu;
    }

    long memory() {
        return memory;
    }

    String lastRestart() {
        return lastRestart;
    }

    String healthReason() {
        return healthReason;
    }

    /** Satan's last sample of the run's process group. */
    void usage(double cpuPercent, long memoryBytes) {
        cpu = cpuPercent;
        memory = memoryBytes;
    }

    /** Satan restarts the instance for this reason. */
    void restartedFor(String reason) {
        lastRestart = reason;
    }

    /** Satan's probe verdict on the run with pid {@code runPid}. */
    void healthVerdict(String status, String reason, Integer runPid) {
        health = status;
        healthReason = reason;
        healthPid = runPid;
    }

    /** True when the last verdict is on the run with pid {@code runPid} and healthy. */
    boolean healthyFor(Integer runPid) {
        return "healthy".equals(health) && runPid != null && runPid.equals(healthPid);
    }

    /** The last verdict on the run with pid {@code runPid}: "healthy", "unhealthy", or "starting" when none yet. */
    String healthOf(Integer runPid) {
        return runPid != null && runPid.equals(healthPid) ? health : "starting";
    }

    /** A scrape of the metrics_url of the run with pid {"pid"}: {"url","time","error","samples"} kept. */
    void appMetrics(JsonObject scrape) {
        appMetrics = new JsonObject()
                .put("url", scrape.getString("url"))
                .put("time", scrape.getLong("time"))
                .put("error", scrape.getString("error"))
                .put("samples", scrape.getJsonArray("samples"));
        appMetricsPid = scrape.getInteger("pid");
    }

    /** The last scrape of the run with pid {@code runPid}, null when none. */
    JsonObject appMetricsOf(Integer runPid) {
        return appMetrics != null && appMetricsPid != null && appMetricsPid.equals(runPid) ? appMetrics : null;
    }
}
