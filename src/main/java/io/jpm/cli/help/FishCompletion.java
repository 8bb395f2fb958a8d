package io.jpm.cli.help;

import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jpm completion fish}: a {@code complete} line per verb and per flag spelling, app names
 * and ids from the running daemon after a verb whose operands are apps.
 */
public final class FishCompletion {
    private FishCompletion() {}

    public static String script(String version) {
        StringBuilder text = new StringBuilder("# fish completion for jpm " + version
                + ", generated from jpm's verb tables: do not edit.\n"
                + "# Put it in ~/.config/fish/completions/jpm.fish, or run: jpm completion install\n"
                + "function __jpm_apps\n"
                + "    command jpm " + AppNames.VERB + " 2>/dev/null\n"
                + "end\n");
        List<String> appVerbs = new ArrayList<>();
        for (Syntax syntax : VerbWords.syntaxes()) {
            for (String name : syntax.names()) {
                text.append("complete -c jpm -n __fish_use_subcommand -f -a ")
                        .append(VerbWords.quoted(name))
                        .append(" -d ")
                        .append(VerbWords.quoted(syntax.summary()))
                        .append('\n');
            }
            String seen = VerbWords.quoted("__fish_seen_subcommand_from " + String.join(" ", syntax.names()));
            for (Flag flag : syntax.flags()) {
                text.append("complete -c jpm -n ").append(seen);
                for (String spelling : flag.spellings()) {
                    text.append(option(spelling));
                }
                text.append(flag.takesValue() && !flag.valueOptional() ? " -r" : "")
                        .append(" -d ")
                        .append(VerbWords.quoted(flag.help()))
                        .append('\n');
            }
            if (VerbWords.takesApps(syntax)) {
                appVerbs.addAll(syntax.names());
            }
        }
        text.append("complete -c jpm -n ")
                .append(VerbWords.quoted("__fish_seen_subcommand_from " + String.join(" ", appVerbs)))
                .append(" -a '(__jpm_apps)'\n");
        return text.toString();
    }

    /** {@code --name} as {@code -l name}, {@code -n} as {@code -s n}, a long one-dash one ({@code -ms}) as {@code -o ms}. */
    private static String option(String spelling) {
        if (spelling.startsWith("--")) {
            return " -l " + VerbWords.quoted(spelling.substring(2));
        }
        String word = spelling.substring(1);
        return (word.length() == 1 ? " -s " : " -o ") + VerbWords.quoted(word);
    }
}
