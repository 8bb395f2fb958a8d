package io.jpm.protocol;

import java.util.Map;

/**
 * pm2_env's fields of the app's ecosystem options: its namespace, pid file, process-tree kill,
 * autostart, logs switched off, and how it says it is ready and wants to be stopped.
 */
public final class Pm2EnvEcosystem extends Pm2Part {
    public static final Pm2Key<Pm2EnvEcosystem, String> NAMESPACE =
            Pm2Key.<Pm2EnvEcosystem>string("namespace").table();
    public static final Pm2Key<Pm2EnvEcosystem, String> PID_PATH = Pm2Key.string("pm_pid_path");
    public static final Pm2Key<Pm2EnvEcosystem, Boolean> TREEKILL = Pm2Key.bool("treekill", true);
    public static final Pm2Key<Pm2EnvEcosystem, Boolean> AUTOSTART = Pm2Key.bool("autostart", true);
    public static final Pm2Key<Pm2EnvEcosystem, Boolean> DISABLE_LOGS = Pm2Key.bool("disable_logs", false);
    public static final Pm2Key<Pm2EnvEcosystem, Boolean> WAIT_READY =
            Pm2Key.<Pm2EnvEcosystem>bool("wait_ready", false).whenTrue();
    public static final Pm2Key<Pm2EnvEcosystem, Long> LISTEN_TIMEOUT =
            Pm2Key.<Pm2EnvEcosystem>whole("listen_timeout", null).whenSet();
    public static final Pm2Key<Pm2EnvEcosystem, Boolean> SHUTDOWN_WITH_MESSAGE =
            Pm2Key.<Pm2EnvEcosystem>bool("shutdown_with_message", false).whenTrue();

    public static final Pm2Key<Pm2EnvEcosystem, Boolean> TRACE =
            Pm2Key.<Pm2EnvEcosystem>bool("trace", false).whenTrue();

    public static final Pm2Keys<Pm2EnvEcosystem> KEYS = new Pm2Keys<>(
            Pm2EnvEcosystem::new,
            NAMESPACE,
            PID_PATH,
            TREEKILL,
            AUTOSTART,
            DISABLE_LOGS,
            WAIT_READY,
            LISTEN_TIMEOUT,
            SHUTDOWN_WITH_MESSAGE,
            TRACE);

    private Pm2EnvEcosystem(Map<Pm2Key<?, ?>, Object> values) {
        super(values);
    }

    public String namespace() {
        return get(NAMESPACE);
    }

    public String pidPath() {
        return get(PID_PATH);
    }

    public boolean treekill() {
        return get(TREEKILL);
    }

    public boolean autostart() {
        return get(AUTOSTART);
    }

    public boolean disableLogs() {
        return get(DISABLE_LOGS);
    }

    /** Listed only when true. */
    public boolean waitReady() {
        return get(WAIT_READY);
    }

    /** Null (not listed) unless wait_ready or listen_timeout was given. */
    public Long listenTimeout() {
        return get(LISTEN_TIMEOUT);
    }

    /** Listed only when true. */
    public boolean shutdownWithMessage() {
        return get(SHUTDOWN_WITH_MESSAGE);
    }

    /** Listed only when true. */
    public boolean trace() {
        return get(TRACE);
    }
}
