package io.jpm.protocol;

/**
 * pm2_env's fields of the app's ecosystem options: its namespace, pid file, process-tree kill,
 * autostart, logs switched off, and how it says it is ready and wants to be stopped.
 *
 * @param waitReady, shutdownWithMessage listed only when true
 * @param listenTimeout null (not listed) unless wait_ready or listen_timeout was given
 */
public record Pm2EnvEcosystem(
        String namespace,
        String pidPath,
        boolean treekill,
        boolean autostart,
        boolean disableLogs,
        boolean waitReady,
        Long listenTimeout,
        boolean shutdownWithMessage) {
    public static final Pm2Key<Pm2EnvEcosystem, String> NAMESPACE =
            Pm2Key.string("namespace", Pm2EnvEcosystem::namespace).table();
    public static final Pm2Key<Pm2EnvEcosystem, String> PID_PATH =
            Pm2Key.string("pm_pid_path", Pm2EnvEcosystem::pidPath);
    public static final Pm2Key<Pm2EnvEcosystem, Boolean> TREEKILL =
            Pm2Key.bool("treekill", true, Pm2EnvEcosystem::treekill);
    public static final Pm2Key<Pm2EnvEcosystem, Boolean> AUTOSTART =
            Pm2Key.bool("autostart", true, Pm2EnvEcosystem::autostart);
    public static final Pm2Key<Pm2EnvEcosystem, Boolean> DISABLE_LOGS =
            Pm2Key.bool("disable_logs", false, Pm2EnvEcosystem::disableLogs);
    public static final Pm2Key<Pm2EnvEcosystem, Boolean> WAIT_READY =
            Pm2Key.bool("wait_ready", false, Pm2EnvEcosystem::waitReady).whenSet(Boolean::booleanValue);
    public static final Pm2Key<Pm2EnvEcosystem, Long> LISTEN_TIMEOUT = Pm2Key.<Pm2EnvEcosystem, Long>of(
                    "listen_timeout", Pm2EnvEcosystem::listenTimeout, (f, key) -> f.has(key) ? f.whole(key, 0) : null)
            .whenSet();
    public static final Pm2Key<Pm2EnvEcosystem, Boolean> SHUTDOWN_WITH_MESSAGE = Pm2Key.bool(
                    "shutdown_with_message", false, Pm2EnvEcosystem::shutdownWithMessage)
            .whenSet(Boolean::booleanValue);

    public static final Pm2Keys<Pm2EnvEcosystem> KEYS = new Pm2Keys<>(
            v -> new Pm2EnvEcosystem(
                    v.get(NAMESPACE),
                    v.get(PID_PATH),
                    v.get(TREEKILL),
                    v.get(AUTOSTART),
                    v.get(DISABLE_LOGS),
                    v.get(WAIT_READY),
                    v.get(LISTEN_TIMEOUT),
                    v.get(SHUTDOWN_WITH_MESSAGE)),
            NAMESPACE,
            PID_PATH,
            TREEKILL,
            AUTOSTART,
            DISABLE_LOGS,
            WAIT_READY,
            LISTEN_TIMEOUT,
            SHUTDOWN_WITH_MESSAGE);
}
