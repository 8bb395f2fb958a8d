package io.jpm.cli.help;

import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jpm completion zsh}: the {@code _jpm} function, verbs and flags with their descriptions,
 * app names and ids from the running daemon. Autoloaded from {@code fpath} it completes; sourced, it
 * registers itself with {@code compdef}.
 */
public final class ZshCompletion {
    private ZshCompletion() {}

    public static String script(String version) {
        StringBuilder verbs = new StringBuilder();
        StringBuilder flags = new StringBuilder();
        List<String> appVerbs = new ArrayList<>();
        for (Syntax syntax : VerbWords.syntaxes()) {
            for (String name : syntax.names()) {
                verbs.append("    ")
                        .append(VerbWords.quoted(described(name, syntax.summary())))
                        .append('\n');
            }
            if (VerbWords.takesApps(syntax)) {
                appVerbs.addAll(syntax.names());
            }
            flags.append("    ").append(String.join("|", syntax.names())).append(")\n      flags=(\n");
            for (Flag flag : syntax.flags()) {
                for (String spelling : flag.spellings()) {
                    flags.append("        ")
                            .append(VerbWords.quoted(described(spelling, flag.help())))
                            .append('\n');
                }
            }
            flags.append("      ) ;;\n");
        }
        return "#compdef jpm\n"
                + "# zsh completion for jpm " + version + ", generated from jpm's verb tables: do not edit.\n"
                + "# Put it in a folder of $fpath as _jpm, or run: jpm completion install\n"
                + "_jpm() {\n"
                + "  local -a verbs flags apps\n"
                + "  verbs=(\n" + verbs + "  )\n"
                + "  if (( CURRENT == 2 )); then\n"
                + "    _describe -t commands 'jpm command' verbs\n"
                + "    return\n"
                + "  fi\n"
                + "  case ${words[2]} in\n" + flags + "  esac\n"
                + "  flags+=('--help:this command'\\''s options')\n"
                + "  if [[ $PREFIX == -* ]]; then\n"
                + "    _describe -t options 'option' flags\n"
                + "    return\n"
                + "  fi\n"
                + "  case \" " + String.join(" ", appVerbs) + " \" in\n"
                + "    *\" ${words[2]} \"*)\n"
                + "      apps=(${(f)\"$(command jpm " + AppNames.VERB + " 2>/dev/null)\"})\n"
                + "      (( ${#apps} )) && compadd -a apps ;;\n"
                + "  esac\n"
                + "  _files\n"
                + "}\n"
                + "if [[ ${funcstack[1]} == _jpm ]]; then\n"
                + "  _jpm \"$@\"\n"
                + "else\n"
                + "  compdef _jpm jpm\n"
                + "fi\n";
    }

    /** {@code word:description} for {@code _describe}, a colon in the word escaped. */
    private static String described(String word, String description) {
        return word.replace(":", "\\:") + ":" + description;
    }
}
