package io.jpm.cli.render;

import io.jpm.protocol.AppOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code jpm env <id>}'s lines, pm2's: its CLI copies {@code pm2_env} through Common.safeExtend,
 * which walks the keys last to first, leaves out the fields pm2 sets itself (their list below, as
 * pm2 7.0.4's lib/Common.js has it) and any value that is an object ({@code env}, the code
 * metrics), and prints {@code key: value} with the value as JavaScript writes it, in green.
 */
public final class EnvLines {
    private EnvLines() {}

    /** The keys safeExtend leaves out (pm2 7.0.4). */
    private static final Set<String> PM2_LEAVES_OUT = Set.of(
            "name",
            AppOption.EXEC_MODE.key,
            "env",
            "args",
            "pm_cwd",
            "exec_interpreter",
            "pm_exec_path",
            "node_args",
            "pm_out_log_path",
            "pm_err_log_path",
            "pm_pid_path",
            "pm_id",
            "status",
            "pm_uptime",
            "created_at",
            "windowsHide",
            "username",
            AppOption.MERGE_LOGS.key,
            "kill_retry_time",
            "prev_restart_delay",
            AppOption.INSTANCE_VAR.key,
            "unstable_restarts",
            "restart_time",
            "axm_actions",
            "pmx_module",
            "command",
            "watch",
            AppOption.FILTER_ENV.key,
            "versioning",
            "vizion_runing",
            "MODULE_DEBUG",
            "pmx",
            "axm_options",
            "vizion",
            "axm_dynamic",
            "axm_monitor",
            "instances",
            "automation",
            "autostart",
            "autorestart",
            AppOption.STOP_EXIT_CODES.key,
            "unstable_restart",
            "treekill",
            "exit_code");

    private static final String GREEN = "\u001b[32m";
    private static final String RESET = "\u001b[39m";

    /** The lines of a process's {@code pm2_env}, in pm2's order. */
    public static List<String> of(Map<String, Object> pm2Env) {
        List<String> keys = new ArrayList<>(pm2Env.keySet());
        List<String> lines = new ArrayList<>();
        for (int i = keys.size() - 1; i >= 0; i--) {
            String key = keys.get(i);
            Object value = pm2Env.get(key);
            if (PM2_LEAVES_OUT.contains(key) || value instanceof Map || unsetOption(key, value)) {
                continue;
            }
            String text = TerminalText.harmless(js(value));
            lines.add(key + ": " + (Render.colour ? GREEN + text + RESET : text));
        }
        return lines;
    }

    /**
     * An option jpm lists in every row, where pm2's row has it only when it was given
     * ({@link AppOption#envLineUnlessDefault}): at its default (or empty) it is no line of pm2's.
     */
    private static boolean unsetOption(String key, Object value) {
        AppOption option = AppOption.named(key).orElse(null);
        if (option == null || !option.envLineUnlessDefault) {
            return false;
        }
        if (value == null
                || "".equals(value)
                || Boolean.FALSE.equals(value)
                || value instanceof List<?> l && l.isEmpty()) {
            return true;
        }
        if (value instanceof Number n && n.doubleValue() == 0) {
            return true;
        }
        Object fallback = option.defaultValue;
        return fallback instanceof Number d && value instanceof Number n
                ? d.doubleValue() == n.doubleValue()
                : String.valueOf(fallback).equals(String.valueOf(value));
    }

    /** A value as a JavaScript template string writes it: 3 for 3.0, "a,b" for an array, null as null. */
    static String js(Object value) {
        if (value instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object item : list) {
                parts.add(item == null ? "" : item instanceof Map ? "[object Object]" : js(item));
            }
            return String.join(",", parts);
        }
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e21) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(value);
    }
}
