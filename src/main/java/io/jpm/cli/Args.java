package io.jpm.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A verb's command line, split pm2's way: positionals, {@code --flag value} / {@code --flag=value}
 * / {@code -f value} options, boolean switches, and everything after {@code --} for the app.
 * Only the flags a verb declares are accepted; any other is an error naming it.
 */
public final class Args {
    public final List<String> positionals = new ArrayList<>();
    final Map<String, String> values = new HashMap<>();
    public final List<String> passthrough = new ArrayList<>();

    /**
     * @param valued flags that take a value, by every spelling, mapped to their canonical name
     * @param switches boolean flags, by every spelling, mapped to their canonical name
     */
    static Args parse(String verb, List<String> words, Map<String, String> valued, Map<String, String> switches) {
        return parse(verb, words, valued, switches, Set.of(), Set.of());
    }

    /**
     * @param optional the valued spellings whose value may be left out, pm2's {@code --timestamp
     *     [format]}: a flag not followed by a value (the end, or a word starting with {@code -}) reads
     *     {@code "true"}
     * @param repeating the valued spellings whose values add up, comma-separated, when given again
     *     (pm2's {@code --watch a --watch b}); a value beats a bare {@code "true"}
     */
    static Args parse(
            String verb,
            List<String> words,
            Map<String, String> valued,
            Map<String, String> switches,
            Set<String> optional,
            Set<String> repeating) {
        Args args = new Args();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("--")) {
                args.passthrough.addAll(words.subList(i + 1, words.size()));
                break;
            }
            if (!word.startsWith("-") || word.equals("-") || word.matches("-\\d+")) {
                args.positionals.add(word);
                continue;
            }
            String flag = word;
            String inline = null;
            int eq = word.indexOf('=');
            if (word.startsWith("--") && eq > 0) {
                flag = word.substring(0, eq);
                inline = word.substring(eq + 1);
            }
            if (switches.containsKey(flag) && inline == null) {
                args.values.put(switches.get(flag), "true");
            } else if (valued.containsKey(flag)) {
                String value = inline;
                if (value == null
                        && optional.contains(flag)
                        && (i + 1 >= words.size() || words.get(i + 1).startsWith("-"))) {
                    value = "true";
                } else if (value == null) {
                    if (i + 1 >= words.size()) {
                        throw CliException.usage("option " + flag + " needs a value");
                    }
                    value = words.get(++i);
                }
                String before = args.values.get(valued.get(flag));
                if (before != null && repeating.contains(flag)) {
                    value = value.equals("true") ? before : before.equals("true") ? value : before + "," + value;
                }
                args.values.put(valued.get(flag), value);
            } else {
                throw CliException.usage("unknown option '" + flag + "' for '" + verb + "'");
            }
        }
        return args;
    }

    /** How many options were given (flags and valued options alike). */
    public int optionCount() {
        return values.size();
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String get(String name) {
        return values.get(name);
    }

    /** Fails unless the verb got between min and max positionals. */
    Args expectPositionals(String verb, int min, int max, String usage) {
        if (positionals.size() < min || positionals.size() > max) {
            throw CliException.usage("usage: jpm " + verb + " " + usage);
        }
        return this;
    }

    static Map<String, String> spellings(String... pairs) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            for (String spelling : pairs[i].split("\\|")) {
                map.put(spelling, pairs[i + 1]);
            }
        }
        return map;
    }
}
