package io.jpm.config;

import io.jpm.protocol.AppOption;

/**
 * pm2's remaining per-app options that make sense outside Node (docs/CONFIG.md, "Lifecycle and
 * identity").
 *
 * Built by its parser and {@code fromJson} from named reads: no builder (RecordShapeTest lists it).
 *
 * @param autostart false registers the app as stopped; {@code jpm start <name>} starts it later
 * @param disableLogs no output file at all: both streams (and log_file) go to /dev/null
 * @param pidFile where the pid file goes, absolute, already given pm2's {@code -<pm_id>} suffix
 *     by {@link #pidFileFor}; null for JPM_HOME/pids/&lt;name&gt;-&lt;pm_id&gt;.pid
 * @param namespace pm2's group name ("default" when unset), also a target of stop/restart/...
 * @param treekill false signals the main pid only (its children are left alone), as pm2 does
 * @param force like {@code -f}: the same script may run twice under the same name
 * @param runAs the user (and group) the app runs as, null for the daemon's own
 * @param waitReady pm2's wait_ready: a run is online once it says it is ready (Node's
 *     {@code process.send('ready')}, anyone's {@code READY=1} on NOTIFY_SOCKET) or listen_timeout
 *     has passed; launching until then
 * @param shutdownWithMessage pm2's shutdown_with_message: a Node app is stopped by the message
 *     {@code 'shutdown'} instead of its kill signal (then SIGKILL as ever)
 * @param pmx pm2's pmx: a Node app reports its code metrics (heap, event loop, HTTP) through jpm's
 *     preload; false starts it without
 * @param trace pm2's trace: a Node app is started with jpm's OpenTelemetry preload (pm2's
 *     disable_trace turns it off)
 */
public record EcosystemOptions(
        boolean autostart,
        boolean disableLogs,
        String pidFile,
        String namespace,
        boolean treekill,
        boolean force,
        RunAs runAs,
        boolean waitReady,
        boolean shutdownWithMessage,
        boolean pmx,
        boolean trace) {

    public static final String DEFAULT_NAMESPACE = AppOption.NAMESPACE.textDefault();

    /** A user the app runs as: its uid, the gid to run with, and its home (pm2 sets HOME to it). */
    public record RunAs(String user, int uid, int gid, String home) {}

    /** The options of an app that gives none of them: each one's declared default. */
    public static EcosystemOptions defaults() {
        return new EcosystemOptions(
                AppOption.AUTOSTART.booleanDefault(),
                AppOption.DISABLE_LOGS.booleanDefault(),
                null,
                DEFAULT_NAMESPACE,
                AppOption.TREEKILL.booleanDefault(),
                AppOption.FORCE.booleanDefault(),
                null,
                AppOption.WAIT_READY.booleanDefault(),
                AppOption.SHUTDOWN_WITH_MESSAGE.booleanDefault(),
                AppOption.PMX.booleanDefault(),
                AppOption.TRACE.booleanDefault());
    }

    /** pm2's rule (God.js): a trailing {@code -N.pid} or {@code .pid} becomes {@code -<pm_id>.pid}. */
    public static String pidFileFor(String pidFile, int pmId) {
        String replaced = pidFile.replaceAll("-[0-9]+\\.pid$|\\.pid$", "-" + pmId + ".pid");
        return replaced;
    }
}
