package io.jpm.config;

import io.jpm.protocol.AppOption;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * pm2's other spellings of option names, turned into the one snake_case name jpm reads. pm2 accepts
 * every option in camelCase ({@code minUptime}) and a few under old names ({@code exec},
 * {@code node_args}, {@code out}, {@code cron}...), see its lib/tools/Config.js and
 * lib/API/schema.json. Normalising first means every option parser reads snake_case names only.
 */
final class OptionNames {
    private OptionNames() {}

    /**
     * pm2's explicit aliases (schema.json "alias"; {@code cmd} and {@code command} for a JSON app's
     * script, pm2's verifyConfs), to jpm's canonical name: each option's {@link AppOption#aliases}.
     */
    private static final Map<String, String> ALIASES = aliases();

    private static Map<String, String> aliases() {
        Map<String, String> map = new HashMap<>();
        for (AppOption option : AppOption.values()) {
            option.aliases.forEach(alias -> map.put(alias, option.key));
        }
        return Map.copyOf(map);
    }

    /**
     * The app with every alias replaced by its canonical name. An option given under two spellings
     * keeps the canonical one when given (pm2's validateJSON does too), else the first in the file;
     * the other is reported to {@code warn} as (option, problem). pm2 keeps one silently.
     *
     * @param known the canonical names (a camelCase name is only rewritten when its snake_case form is one)
     */
    static JsonObject normalise(JsonObject app, Set<String> known, BiConsumer<String, String> warn) {
        JsonObject normal = new JsonObject();
        Map<String, String> spelledAs = new HashMap<>();
        for (Map.Entry<String, Object> entry : app) {
            String given = entry.getKey();
            String name = canonical(given, known);
            String earlier = spelledAs.get(name);
            if (earlier == null) {
                spelledAs.put(name, given);
                normal.put(name, entry.getValue());
            } else if (given.equals(name)) {
                warn.accept(
                        name, "is given twice, as '" + earlier + "' and as '" + given + "': '" + given + "' is used");
                spelledAs.put(name, given);
                normal.put(name, entry.getValue());
            } else {
                warn.accept(
                        name, "is given twice, as '" + earlier + "' and as '" + given + "': '" + earlier + "' is used");
            }
        }
        return normal;
    }

    static String canonical(String given, Set<String> known) {
        if (known.contains(given) || given.startsWith("env_")) {
            return given;
        }
        String snake = snake(given);
        String alias = ALIASES.get(snake);
        if (alias != null) {
            return alias;
        }
        return known.contains(snake) ? snake : given;
    }

    /** {@code minUptime} -> {@code min_uptime}; {@code interpreterArgs} -> {@code interpreter_args}. */
    static String snake(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
