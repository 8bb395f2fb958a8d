package io.jpm.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A verb's command line, split pm2's way: positionals, {@code --flag value} / {@code --flag=value}
 * / {@code -f value} options, boolean switches, and everything after {@code --} for the app.
 * Only the flags a verb declares are accepted; any other is an error naming it.
 */
final class Args {
  final List<String> positionals = new ArrayList<>();
  final Map<String, String> values = new HashMap<>();
  final List<String> passthrough = new ArrayList<>();

  /**
   * @param valued flags that take a value, by every spelling, mapped to their canonical name
   * @param switches boolean flags, by every spelling, mapped to their canonical name
   */
  static Args parse(String verb, List<String> words, Map<String, String> valued, Map<String, String> switches) {
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
        if (value == null) {
          if (i + 1 >= words.size()) {
            throw CliException.usage("option " + flag + " needs a value");
          }
          value = words.get(++i);
        }
        args.values.put(valued.get(flag), value);
      } else {
        throw CliException.usage("unknown option '" + flag + "' for '" + verb + "'");
      }
    }
    return args;
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String get(String name) {
    return values.get(name);
  }

  /** Fails unless the verb got between min and max positionals. */
  Args expectPositionals(String verb, int min, int max, String usage) {
    if (positionals.size() < min || positionals.size() > max) {
      throw CliException.usage("usage: jpm " + verb + " " + usage);
    }
    return this;
  }

  /**
   * pm2's flags whose value is optional ({@code --timestamp [format]}): one not followed by a value
   * becomes {@code --flag=true}.
   */
  static List<String> optionalValues(List<String> words, String... flags) {
    List<String> out = new ArrayList<>(words.size());
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      if (word.equals("--")) {
        out.addAll(words.subList(i, words.size()));
        break;
      }
      boolean valueFollows = i + 1 < words.size() && !words.get(i + 1).startsWith("-");
      out.add(List.of(flags).contains(word) && !valueFollows ? word + "=true" : word);
    }
    return out;
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
