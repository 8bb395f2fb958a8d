package io.jpm.config;

import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** What an app inherits of the environment of the client that started it: pm2's {@code filter_env}. */
final class InheritedEnv {
    private InheritedEnv() {}

    /** What {@code filter_env: true} still passes from the client's environment (pm2 7.1.2's list). */
    private static final Set<String> BASE_ENV =
            Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TERM");

    /**
     * The client's environment, all of it or what {@code filter} lets through.
     *
     * @param filter the app's filter_env: absent or false, true, a prefix or an array of prefixes
     * @param refusal the error for a filter of another shape, given the problem
     */
    static Map<String, String> of(
            Map<String, String> clientEnv, Object filter, Function<String, JpmException> refusal) {
        Map<String, String> env = new LinkedHashMap<>();
        if (filter == null || Boolean.FALSE.equals(filter)) {
            env.putAll(clientEnv);
            return env;
        }
        List<String> prefixes;
        if (Boolean.TRUE.equals(filter)) {
            clientEnv.forEach((k, v) -> {
                if (BASE_ENV.contains(k) || k.startsWith("LC_")) {
                    env.put(k, v);
                }
            });
            return env;
        } else if (filter instanceof String s) {
            prefixes = List.of(s);
        } else if (filter instanceof JsonArray array && array.stream().allMatch(String.class::isInstance)) {
            prefixes = array.stream().map(String.class::cast).toList();
        } else {
            throw refusal.apply("must be true, false, a prefix or an array of prefixes, got " + filter);
        }
        clientEnv.forEach((k, v) -> {
            if (prefixes.stream().noneMatch(k::startsWith)) {
                env.put(k, v);
            }
        });
        return env;
    }
}
