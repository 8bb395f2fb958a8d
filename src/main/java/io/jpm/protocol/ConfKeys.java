package io.jpm.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys of {@code jpm set|get|unset|conf|multiset}, for the client and the daemon alike. A key
 * that names one of jpm.json's sections and one of its options with a dot ({@code logs.max_size})
 * is jpm's own setting (JPM_HOME/jpm.json); any other key is pm2's module configuration
 * (JPM_HOME/module_conf.json): {@code <app>.<key>} or {@code <app>:<key>} nests under the app, a
 * bare key sits at the top. The colon form is always module configuration, so an app named like a
 * section ({@code web:port}) can still be configured.
 */
public final class ConfKeys {
    private ConfKeys() {}

    /** jpm.json's sections and their options (docs/CONFIG.md); DaemonSettingsTest holds the parsers to it. */
    public static final Map<String, Set<String>> SETTINGS = Map.ofEntries(
            Map.entry(
                    "logs",
                    Set.of(
                            AppOption.MAX_SIZE.key,
                            AppOption.RETAIN.key,
                            AppOption.COMPRESS.key,
                            AppOption.ROTATE_INTERVAL.key)),
            Map.entry("satan", Set.of("sample_interval", "idle_sample_interval", "hang_timeout")),
            Map.entry("balancer", Set.of("queue_timeout_ms")),
            Map.entry("persist", Set.of("auto_dump", "renew_after_burst")),
            Map.entry("ecosystem", Set.of("hot_reload", "strict")),
            Map.entry(
                    "cluster",
                    Set.of(
                            "name",
                            "node",
                            "listen",
                            "members",
                            "bus_port",
                            "bus_public",
                            "timeout_ms",
                            "key",
                            "cert",
                            "ca")),
            Map.entry(
                    "web",
                    Set.of(
                            "enabled",
                            "host",
                            "port",
                            "open_metrics",
                            "tls_key",
                            "tls_cert",
                            "insecure_no_tls",
                            "max_connections",
                            "idle_timeout_ms")),
            Map.entry("access", Set.of("read_only_sees_env")),
            Map.entry("history", Set.of("enabled")),
            Map.entry(
                    "bridge",
                    Set.of(
                            "host",
                            "port",
                            "tls_key",
                            "tls_cert",
                            "tls_ca",
                            "insecure_no_tls",
                            "max_connections",
                            "idle_timeout_ms",
                            "auth_timeout_ms")),
            Map.entry("alerts", Set.of("webhooks", "rules", "window", "max_per_window")));

    /** pm2 refuses these parts (Configuration.js splitKey); a key holding one is refused here. */
    private static final Set<String> FORBIDDEN = Set.of("__proto__", "constructor", "prototype");

    private static final Pattern DOT_PARTS = Pattern.compile("(?:[^.\"]+|\"[^\"]*\")+");
    private static final Pattern COLON_PARTS = Pattern.compile("(?:[^:\"]+|\"[^\"]*\")+");

    /** Whether {@code key} is one of jpm's settings: {@code section.option[...]}, with dots only. */
    public static boolean isSetting(String key) {
        if (key.indexOf(':') >= 0 || key.indexOf('"') >= 0) {
            return false;
        }
        String[] parts = key.split("\\.", -1);
        return parts.length >= 2 && SETTINGS.getOrDefault(parts[0], Set.of()).contains(parts[1]);
    }

    /**
     * pm2's splitting of a module configuration key: on dots when it has one, else on colons; a
     * quoted part keeps its dots ({@code app."a.b"} is {@code [app, a.b]}); empty parts vanish.
     *
     * @throws JpmException when no part is left or a part is one pm2 refuses
     */
    public static List<String> split(String key) {
        Pattern parts = key.indexOf('.') >= 0 ? DOT_PARTS : key.indexOf(':') >= 0 ? COLON_PARTS : null;
        List<String> split = new ArrayList<>();
        if (parts == null) {
            split.add(key);
        } else {
            Matcher m = parts.matcher(key);
            while (m.find()) {
                split.add(m.group().replace("\"", ""));
            }
        }
        if (split.isEmpty() || split.stream().allMatch(String::isEmpty)) {
            throw new JpmException(
                    JpmError.INVALID_ARGUMENT,
                    "name a key, like myapp.api_key or pm2-logrotate:max_size, got '" + key + "'");
        }
        for (String part : split) {
            if (FORBIDDEN.contains(part)) {
                throw new JpmException(
                        JpmError.INVALID_ARGUMENT,
                        "'" + part + "' cannot be part of a key (pm2 refuses it too), got '" + key + "'");
            }
        }
        return split;
    }

    /**
     * The app a module configuration key is for (its first part) when it has more than one part,
     * else null: pm2 restarts that app after {@code set} and {@code multiset}.
     */
    public static String app(String key) {
        List<String> parts = split(key);
        return parts.size() > 1 ? parts.get(0) : null;
    }
}
