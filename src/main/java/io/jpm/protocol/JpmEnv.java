package io.jpm.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Every {@code JPM_*} environment variable jpm reads or sets, declared once (as mvnd's
 * {@code Environment}): its name, who it is for, and for a user's the line the man page prints.
 * The variables a user sets are described in docs/CONFIG.md ("The daemon's own settings"), those jpm
 * sets for its own processes (the keeper, a Node app's preloads) in docs/ARCHITECTURE.md; EnvTest
 * ties the three, and no other class names a {@code JPM_} variable or reads one from the process's
 * environment: this is where {@code System.getenv} of a {@code JPM_} name happens.
 */
public enum JpmEnv {
    HOME("JPM_HOME", "where the daemon keeps its files (default ~/.jpm); must be the user's own, mode 0700"),
    BRIDGE_HOST("JPM_BRIDGE_HOST", "the bridge's listen address (jpm.json's bridge.host, default 127.0.0.1)"),
    BRIDGE_PORT("JPM_BRIDGE_PORT", "the bridge's port (jpm.json's bridge.port, default 9620; 0: a free port)"),
    BRIDGE_CA("JPM_BRIDGE_CA", "a PEM file the CLI trusts for a TLS bridge instead of daemon.json's certificates"),
    DAEMON_OPTS("JPM_DAEMON_OPTS", "JVM flags of a daemon the CLI starts, taken as they are"),
    DAEMON_ASSERTIONS(
            "JPM_DAEMON_ASSERTIONS",
            "1: a daemon the CLI starts fails a blocking call made on an event loop (for tests)"),
    LAUNCHER("JPM_LAUNCHER", "how the daemon spawns apps: posix_spawn (default where it can) or nuprocess"),
    CONFIG_SCAN_MS("JPM_CONFIG_SCAN_MS", "how often watched ecosystem and settings files are read again (1000)"),
    KEEPER("JPM_KEEPER", "0: the daemon starts without its keeper, which starts it again if it dies"),
    KEEPER_PAUSES_S("JPM_KEEPER_PAUSES_S", "the keeper's pauses before it starts again a daemon that keeps dying"),
    KILL_TIMEOUT("JPM_KILL_TIMEOUT", "the kill_timeout (ms) of every app that gives none (pm2's PM2_KILL_TIMEOUT too)"),
    KEEPER_REST_S("JPM_KEEPER_REST_S", "how often a keeper resting after a crash loop tries a daemon again"),
    RENEW_MIN_DROP(
            "JPM_RENEW_MIN_DROP",
            "instances fewer than the peak before the daemon is renewed after a burst (100; for tests)"),
    RENEW_QUIET_MS("JPM_RENEW_QUIET_MS", "how long nothing changes before the daemon is renewed after a burst (10000)"),
    CLUSTER_HEARTBEAT_TIMEOUT_S(
            "JPM_CLUSTER_HEARTBEAT_TIMEOUT_S", "seconds before a clustered daemon drops a silent member (10)"),
    CLUSTER_MERGE_CHECK_S(
            "JPM_CLUSTER_MERGE_CHECK_S", "how often a clustered daemon looks for another half to merge with (5)"),
    SYSTEMD_DIR("JPM_SYSTEMD_DIR", "where jpm startup writes its unit (default /etc/systemd/system)"),
    FILE_NAMES(
            "JPM_FILE_NAMES",
            "pm2: the pid file and the dump under pm2's names and in pm2's format (pm2.pid, dump.pm2)"),
    PID_FILE_PATH("JPM_PID_FILE_PATH", "a file the daemon also writes its pid to (pm2's PM2_PID_FILE_PATH too)"),
    KILL_USE_MESSAGE(
            "JPM_KILL_USE_MESSAGE", "stop every app with the 'shutdown' message (pm2's PM2_KILL_USE_MESSAGE too)"),
    START_TIMELINE("JPM_START_TIMELINE", "set: the daemon writes the time of each step of its start in daemon.log"),
    NATIVE_TRANSPORT("JPM_NATIVE_TRANSPORT", "0: the daemon's Vert.x uses Java's NIO instead of Netty's epoll"),
    TUNING(
            "JPM_TUNING",
            "0: the daemon runs without its memory and wake-up tuning (heap return, native trim, idle-ending pools,"
                    + " quiet event loops, renewal after a burst)"),
    HTTP_RELAY("JPM_HTTP_RELAY", "0: HTTP mode proxies through Vert.x's HTTP server and client, not jpm's relay"),

    // set by jpm for its own processes, never by a user
    KEEPER_FD("JPM_KEEPER_FD"),
    KEEPER_PID("JPM_KEEPER_PID"),
    KEEPER_HELD("JPM_KEEPER_HELD"),
    KEEPER_EXITS("JPM_KEEPER_EXITS"),
    KEEPER_UPDATED("JPM_KEEPER_UPDATED"),
    INSTANCE_ID("JPM_INSTANCE_ID"),
    IPC_PATH("JPM_IPC_PATH"),
    IPC_TOKEN("JPM_IPC_TOKEN"),
    SHARE_LISTEN("JPM_SHARE_LISTEN"),
    SHARED_PORT("JPM_SHARED_PORT");

    /** The variable's name. */
    public final String variable;
    /** The man page's line for a variable a user sets; null for one jpm sets for its own processes. */
    public final String manLine;

    JpmEnv(String variable, String manLine) {
        this.variable = variable;
        this.manLine = manLine;
    }

    JpmEnv(String variable) {
        this(variable, null);
    }

    /** Whether a user sets it (docs/CONFIG.md) rather than jpm for its own processes (docs/ARCHITECTURE.md). */
    public boolean forUsers() {
        return manLine != null;
    }

    /** Its value in this process's environment, null when unset. */
    public String value() {
        return System.getenv(variable);
    }

    /** Its value in this process's environment, {@code fallback} when unset or blank. */
    public String valueOr(String fallback) {
        String value = value();
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Its value in {@code env}, null when unset there. */
    public String in(Map<String, String> env) {
        return env.get(variable);
    }

    /** Whether it is set to {@code 0}: how each switch that is on by default is turned off. */
    public boolean off() {
        return "0".equals(value());
    }

    /** The variables a user sets, in declaration order. */
    public static List<JpmEnv> forUsersAll() {
        return Arrays.stream(values()).filter(JpmEnv::forUsers).toList();
    }
}
