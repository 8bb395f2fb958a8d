package io.jpm.config;

import io.jpm.config.EcosystemOptions.RunAs;
import io.jpm.protocol.AppOption;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads autostart, disable_logs, pid_file, namespace, treekill, force, uid, gid, wait_ready,
 * shutdown_with_message and pmx into
 * {@link EcosystemOptions}, with pm2's checks: uid/gid only when the daemon runs as root, and the
 * user and group must exist (pm2 reads /etc/passwd and /etc/group; so does jpm).
 */
final class EcosystemOptionsParser {
    private final OptionReader typed;
    private final Path passwd;
    private final Path group;
    private final boolean root;

    EcosystemOptionsParser(OptionReader typed) {
        this(typed, Path.of("/etc/passwd"), Path.of("/etc/group"), isRoot());
    }

    EcosystemOptionsParser(OptionReader typed, Path passwd, Path group, boolean root) {
        this.typed = typed;
        this.passwd = passwd;
        this.group = group;
        this.root = root;
    }

    /**
     * @param clientEnv the environment of the client that asked: its {@code HOME} is what {@code ~}
     *     in pid_file means, as in the log paths (pm2's resolveHome)
     */
    EcosystemOptions parse(JsonObject app, String label, Path cwd, Map<String, String> clientEnv) {
        boolean autostart = typed.bool(app, label, AppOption.AUTOSTART);
        boolean disableLogs = typed.bool(app, label, AppOption.DISABLE_LOGS);
        String pidFile = typed.string(app, label, AppOption.PID_FILE);
        if (pidFile != null) {
            if (pidFile.isBlank()) {
                throw typed.error(label, AppOption.PID_FILE.key, "must be a path");
            }
            pidFile = cwd.resolve(LogPaths.expandHome(pidFile, clientEnv))
                    .normalize()
                    .toString();
        }
        String namespace = typed.string(app, label, AppOption.NAMESPACE);
        if (namespace.isBlank() || namespace.equals("all") || namespace.matches("\\d+") || namespace.contains("/")) {
            throw typed.error(
                    label,
                    AppOption.NAMESPACE.key,
                    "must be a name (not blank, a number, 'all' or with '/'), got '" + namespace + "'");
        }
        boolean treekill = typed.bool(app, label, AppOption.TREEKILL);
        boolean force = typed.bool(app, label, AppOption.FORCE);
        boolean waitReady = typed.bool(app, label, AppOption.WAIT_READY);
        boolean shutdownWithMessage = typed.bool(app, label, AppOption.SHUTDOWN_WITH_MESSAGE);
        // pm2's schema takes any string for pmx, and its container reads every one but "false" as on
        boolean pmx = app.getValue(AppOption.PMX.key) instanceof String given
                ? !"false".equals(given)
                : typed.bool(app, label, AppOption.PMX);
        return new EcosystemOptions(
                autostart,
                disableLogs,
                pidFile,
                namespace,
                treekill,
                force,
                runAs(app, label),
                waitReady,
                shutdownWithMessage,
                pmx,
                trace(app, label));
    }

    /** pm2's verifyConfs: disable_trace wins over trace. */
    private boolean trace(JsonObject app, String label) {
        Object disable = app.getValue("disable_trace");
        return typed.bool(app, label, AppOption.TRACE) && !(Boolean.TRUE.equals(disable) || "true".equals(disable));
    }

    private RunAs runAs(JsonObject app, String label) {
        Object uid = app.getValue(AppOption.UID.key);
        Object gid = app.getValue(AppOption.GID.key);
        if (uid == null && gid == null) {
            return null;
        }
        String option = uid != null ? AppOption.UID.key : AppOption.GID.key;
        checkIdType(label, AppOption.UID.key, uid);
        checkIdType(label, AppOption.GID.key, gid);
        if (!root) {
            throw typed.error(label, option, "needs the daemon to run as root (it runs as uid " + currentUid() + ")");
        }
        // pm2: without uid the app runs as the daemon's user (root) with the given group
        String[] user = uid == null ? find(passwd, "0", 2) : find(passwd, String.valueOf(uid), 2);
        if (user == null) {
            // pm2's words after jpm's: scripts match "cannot be found"
            throw typed.error(
                    label, AppOption.UID.key, "names no user of " + passwd + ": User " + uid + " cannot be found");
        }
        int groupId = Integer.parseInt(user[3]);
        if (gid != null) {
            String[] g = find(group, String.valueOf(gid), 2);
            if (g == null) {
                throw typed.error(label, AppOption.GID.key, "names no group of " + group + ": " + gid);
            }
            groupId = Integer.parseInt(g[2]);
        }
        return new RunAs(user[0], Integer.parseInt(user[2]), groupId, user.length > 5 ? user[5] : "/");
    }

    private void checkIdType(String label, String option, Object value) {
        if (value != null
                && !(value instanceof String s && !s.isBlank())
                && !(value instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() >= 0)) {
            throw typed.error(label, option, "must be a name or a numeric id, got " + value);
        }
    }

    /** The line of a passwd/group file whose name (or, for a number, whose id field) matches. */
    private String[] find(Path file, String key, int idField) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return null;
        }
        String[] byId = null;
        for (String line : lines) {
            String[] fields = line.split(":", -1);
            if (fields.length <= idField || line.startsWith("#")) {
                continue;
            }
            if (fields[0].equals(key)) {
                return fields;
            }
            if (byId == null && key.matches("\\d+") && fields[idField].equals(key)) {
                byId = fields;
            }
        }
        return byId;
    }

    private static boolean isRoot() {
        return "0".equals(currentUid());
    }

    private static String currentUid() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return String.valueOf(uid);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
