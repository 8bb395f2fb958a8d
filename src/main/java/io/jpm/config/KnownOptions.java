package io.jpm.config;

import io.jpm.protocol.AppOption;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The option names an app may give, from {@link AppOption}: what jpm acts on, what it accepts and
 * ignores as pm2 does, and the warning for any other name.
 */
final class KnownOptions {
    private KnownOptions() {}

    /**
     * Options jpm acts on: every declared one, and two of pm2's old names that their readers take as
     * given (the interpreter's arguments under node_args, merge_logs under combine_logs).
     */
    static final Set<String> SUPPORTED = Set.copyOf(
            Stream.concat(Stream.of(AppOption.values()).map(o -> o.key), Stream.of("node_args", "combine_logs"))
                    .toList());

    /** pm2 options that only mean something to Node or pm2's hosted service ({@link AppOption#IGNORED}). */
    static final Set<String> IGNORED = Set.copyOf(AppOption.IGNORED);

    /** Every name an option may have once pm2's spellings are normalised. */
    static final Set<String> KNOWN = union(SUPPORTED, IGNORED);

    /**
     * The options pm2_env lists as the app gave them, among pm2's own fields: the ignored ones, and
     * the declared ones {@link AppOption#LISTED_AS_GIVEN} names.
     */
    private static final Set<String> LISTED_AS_GIVEN =
            union(IGNORED, AppOption.LISTED_AS_GIVEN.stream().map(o -> o.key).collect(Collectors.toSet()));

    /** The defaults pm2_env lists for those options when the app does not give them: pm2's schema's, or the declared ones. */
    private static final Map<String, Object> LISTED_DEFAULTS = listedDefaults();

    private static Map<String, Object> listedDefaults() {
        Map<String, Object> defaults = new TreeMap<>(AppOption.IGNORED_DEFAULTS);
        AppOption.LISTED_AS_GIVEN.forEach(o -> defaults.put(o.key, o.defaultValue));
        return defaults;
    }

    /**
     * The options of {@link #LISTED_AS_GIVEN} as pm2 lists them in pm2_env: as the app gave them, else
     * their default when they have one.
     */
    static JsonObject pm2OnlyOptions(JsonObject source) {
        JsonObject listed = new JsonObject(new TreeMap<>(LISTED_DEFAULTS));
        for (String option : LISTED_AS_GIVEN) {
            if (source.containsKey(option) && !option.equals("username")) { // pm2_env.username is who runs it
                listed.put(option, source.getValue(option));
            }
        }
        return listed;
    }

    static boolean isKnown(String option) {
        return SUPPORTED.contains(option) || IGNORED.contains(option) || option.startsWith("env_");
    }

    /** pm2 drops an option it does not know; jpm drops it too, and says so with the closest name it knows. */
    static String unknownOption(String option) {
        String hint = Spelling.closest(OptionNames.snake(option), KNOWN)
                .map(s -> "; did you mean '" + s + "'?")
                .orElse("");
        return "is not a known option: ignored" + hint;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
