package io.jpm.cli.help;

import io.jpm.cli.Syntax;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jpm completion bash}: a bash script completing the verb, then the flags of the verb being
 * typed, then app names and ids from the running daemon ({@code jpm __complete-apps}, which starts
 * none); anything else falls back to file names.
 */
public final class BashCompletion {
    private BashCompletion() {}

    public static String script(String version) {
        List<String> appVerbs = new ArrayList<>();
        StringBuilder flags = new StringBuilder();
        for (Syntax syntax : VerbWords.syntaxes()) {
            if (VerbWords.takesApps(syntax)) {
                appVerbs.addAll(syntax.names());
            }
            flags.append("    ")
                    .append(String.join("|", syntax.names()))
                    .append(") echo ")
                    .append(VerbWords.quoted(String.join(" ", VerbWords.spellings(syntax))))
                    .append(" ;;\n");
        }
        return "# bash completion for jpm " + version + ", generated from jpm's verb tables: do not edit.\n"
                + "# Load it with: source <(jpm completion bash), or run: jpm completion install\n"
                + "_jpm_verbs=" + VerbWords.quoted(String.join(" ", VerbWords.allNames())) + "\n"
                + "# verbs whose operands are apps: completed with the running daemon's names and ids\n"
                + "_jpm_app_verbs=" + VerbWords.quoted(" " + String.join(" ", appVerbs) + " ") + "\n"
                + "_jpm_flags() {\n"
                + "  case $1 in\n"
                + flags
                + "  esac\n"
                + "}\n"
                + "_jpm() {\n"
                + "  local cur=${COMP_WORDS[COMP_CWORD]} verb=${COMP_WORDS[1]}\n"
                + "  COMPREPLY=()\n"
                + "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
                + "    COMPREPLY=($(compgen -W \"$_jpm_verbs\" -- \"$cur\"))\n"
                + "    return 0\n"
                + "  fi\n"
                + "  case $cur in\n"
                + "    -*) COMPREPLY=($(compgen -W \"$(_jpm_flags \"$verb\")\" -- \"$cur\")); return 0 ;;\n"
                + "  esac\n"
                + "  case $_jpm_app_verbs in\n"
                + "    *\" $verb \"*) COMPREPLY=($(compgen -W \"$(command jpm " + AppNames.VERB
                + " 2>/dev/null)\" -- \"$cur\")) ;;\n"
                + "  esac\n"
                + "  return 0\n"
                + "}\n"
                + "complete -o default -F _jpm jpm\n";
    }
}
