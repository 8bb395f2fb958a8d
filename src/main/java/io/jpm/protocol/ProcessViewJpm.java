package io.jpm.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link ProcessView}'s {@code jpm}: what jpm knows beyond pm2's fields, each said once (what
 * pm2_env already lists is not repeated, so a script counting a status word or {@code watch: true}
 * counts it as under pm2).
 *
 * <pre>{"host":"box","instance_id":0,"old_run_of":null,"uptime_ms":65000,"kill_signal":"SIGINT",
 *  "listen_timeout":3000,"exit_signal":null,"last_reason":"spawned pid 1234","ecosystem_file":null,
 *  "env_name":null,"health":null,"health_reason":null,"watchdog_restart":null,"exits_last_minute":0,"app_metrics":null,
 *  "watchdog":{..},"warnings":[],"balancer":{..},"fleet":{..},"jpm_version":"0.1.0"}</pre>
 *
 * @param health "healthy", "unhealthy", "starting", or null without a probe
 * @param exitsLastMinute the instance's unexpected exits (not asked by a stop or a restart) in the last
 *     minute, counted up to 10: a crash loop shows here even when each run outlives min_uptime
 * @param appMetrics the current run's last scrape of its metrics_url ({"url","time","error","samples"}), or null
 * @param watchdog what Satan acts on beyond pm2_env's fields (health probe, watch paths, errored_retry, ..)
 * @param balancer null when the app is not balanced
 * @param fleet null (and not written) when the app is no fleet app
 * @param jpmVersion the version of the jpm daemon that runs the process (its host's, in a cluster);
 *     pm2 lists its own only as cluster-mode processes' {@code pm2_env._pm2_version}
 */
public record ProcessViewJpm(
        String host,
        int instanceId,
        long uptimeMs,
        String killSignal,
        long listenTimeout,
        String exitSignal,
        String lastReason,
        String ecosystemFile,
        String envName,
        String health,
        String healthReason,
        String watchdogRestart,
        int exitsLastMinute,
        Map<String, Object> appMetrics,
        Map<String, Object> watchdog,
        List<String> warnings,
        ProcessViewBalancer balancer,
        ProcessViewFleet fleet,
        String jpmVersion) {

    /** The health probe (HealthCheck's fields: http, tcp or exec, interval, timeout, ..), empty without one. */
    public Fields healthProbe() {
        return Fields.of(watchdog).object("health");
    }

    public List<String> watchPaths() {
        return Fields.of(watchdog).strings("watch_paths");
    }

    /** 0 when an errored app stays errored (pm2's behaviour). */
    public long erroredRetryMs() {
        return Fields.of(watchdog).whole("errored_retry", 0);
    }

    /** The samples of the last metrics scrape, plain ({@link AppMetrics.Sample}'s shape); none without one. */
    public List<Object> appMetricSamples() {
        return Fields.of(appMetrics).list("samples");
    }

    /** @param oldRunOf the pm_id a reload's old run had, null for a current run */
    Map<String, Object> toMap(Integer oldRunOf, boolean table) {
        ProcessViewWriter row = new ProcessViewWriter(table);
        row.full("host", host);
        row.full("instance_id", instanceId);
        row.full("old_run_of", oldRunOf);
        row.full("uptime_ms", uptimeMs);
        row.full("kill_signal", killSignal);
        row.full("listen_timeout", listenTimeout);
        row.full("exit_signal", exitSignal);
        row.full("last_reason", lastReason);
        row.full("ecosystem_file", ecosystemFile);
        row.full("env_name", envName);
        // the table adds its health column for an app with a probe
        if (table ? health != null : true) {
            row.table("health", health);
        }
        row.full("health_reason", healthReason);
        row.full("watchdog_restart", watchdogRestart);
        row.full("exits_last_minute", exitsLastMinute);
        row.full("app_metrics", appMetrics);
        row.full("watchdog", watchdog);
        if (table ? !warnings.isEmpty() : true) { // the table marks an app with warnings
            row.table("warnings", warnings);
        }
        if (balancer != null) {
            row.full("balancer", balancer.toMap());
        }
        if (fleet != null) { // only a cluster's fleet app has it: jlist's rows stay as they were for every other
            row.full("fleet", fleet.toMap());
        }
        row.full("jpm_version", jpmVersion);
        return row.map();
    }

    public static ProcessViewJpm from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        return builder()
                .host(f.string("host"))
                .instanceId(f.integer("instance_id", 0))
                .uptimeMs(f.whole("uptime_ms", 0))
                .killSignal(f.string("kill_signal"))
                .listenTimeout(f.whole("listen_timeout", 0))
                .exitSignal(f.string("exit_signal"))
                .lastReason(f.string("last_reason"))
                .ecosystemFile(f.string("ecosystem_file"))
                .envName(f.string("env_name"))
                .health(f.string("health"))
                .healthReason(f.string("health_reason"))
                .watchdogRestart(f.string("watchdog_restart"))
                .exitsLastMinute(f.integer("exits_last_minute", 0))
                .appMetrics(f.has("app_metrics") ? f.object("app_metrics").asMap() : null)
                .watchdog(f.object("watchdog").asMap())
                .warnings(new ArrayList<>(f.strings("warnings")))
                .balancer(
                        f.has("balancer")
                                ? ProcessViewBalancer.from(f.object("balancer").asMap())
                                : null)
                .fleet(f.has("fleet") ? ProcessViewFleet.from(f.object("fleet").asMap()) : null)
                .jpmVersion(f.string("jpm_version"))
                .build();
    }

    /**
     * A view built by naming each field ({@code ProcessViewJpm.builder().host(h).envName(e)...build()}):
     * seven strings in a row are not told apart by the compiler, their names are.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Fields not named stay null, 0, or empty (watchdog, warnings). */
    public static final class Builder {
        private String host;
        private int instanceId;
        private long uptimeMs;
        private String killSignal;
        private long listenTimeout;
        private String exitSignal;
        private String lastReason;
        private String ecosystemFile;
        private String envName;
        private String health;
        private String healthReason;
        private String watchdogRestart;
        private int exitsLastMinute;
        private Map<String, Object> appMetrics;
        private Map<String, Object> watchdog = Map.of();
        private List<String> warnings = List.of();
        private ProcessViewBalancer balancer;
        private ProcessViewFleet fleet;
        private String jpmVersion;

        private Builder() {}

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder instanceId(int instanceId) {
            this.instanceId = instanceId;
            return this;
        }

        public Builder uptimeMs(long uptimeMs) {
            this.uptimeMs = uptimeMs;
            return this;
        }

        public Builder killSignal(String killSignal) {
            this.killSignal = killSignal;
            return this;
        }

        public Builder listenTimeout(long listenTimeout) {
            this.listenTimeout = listenTimeout;
            return this;
        }

        public Builder exitSignal(String exitSignal) {
            this.exitSignal = exitSignal;
            return this;
        }

        public Builder lastReason(String lastReason) {
            this.lastReason = lastReason;
            return this;
        }

        public Builder ecosystemFile(String ecosystemFile) {
            this.ecosystemFile = ecosystemFile;
            return this;
        }

        public Builder envName(String envName) {
            this.envName = envName;
            return this;
        }

        public Builder health(String health) {
            this.health = health;
            return this;
        }

        public Builder healthReason(String healthReason) {
            this.healthReason = healthReason;
            return this;
        }

        public Builder watchdogRestart(String watchdogRestart) {
            this.watchdogRestart = watchdogRestart;
            return this;
        }

        public Builder exitsLastMinute(int exitsLastMinute) {
            this.exitsLastMinute = exitsLastMinute;
            return this;
        }

        public Builder appMetrics(Map<String, Object> appMetrics) {
            this.appMetrics = appMetrics;
            return this;
        }

        public Builder watchdog(Map<String, Object> watchdog) {
            this.watchdog = watchdog;
            return this;
        }

        public Builder warnings(List<String> warnings) {
            this.warnings = warnings;
            return this;
        }

        public Builder balancer(ProcessViewBalancer balancer) {
            this.balancer = balancer;
            return this;
        }

        public Builder fleet(ProcessViewFleet fleet) {
            this.fleet = fleet;
            return this;
        }

        public Builder jpmVersion(String jpmVersion) {
            this.jpmVersion = jpmVersion;
            return this;
        }

        public ProcessViewJpm build() {
            return new ProcessViewJpm(
                    host,
                    instanceId,
                    uptimeMs,
                    killSignal,
                    listenTimeout,
                    exitSignal,
                    lastReason,
                    ecosystemFile,
                    envName,
                    health,
                    healthReason,
                    watchdogRestart,
                    exitsLastMinute,
                    appMetrics,
                    watchdog,
                    warnings,
                    balancer,
                    fleet,
                    jpmVersion);
        }
    }
}
