package io.jpm.cli.help;

import io.jpm.cli.Command;
import io.jpm.cli.Flag;
import io.jpm.cli.Main;
import io.jpm.cli.Syntax;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the completion scripts and the man page read from the verbs' {@link Syntax} tables: every
 * verb in {@code jpm --help}'s order, its names, its flags' spellings, and whether its operands name
 * apps. Nothing here lists a verb or a flag of its own, so the generated files follow the tables.
 */
final class VerbWords {
    /** An operand that names a running app: {@code <id|name|all>...}, {@code [name]}, {@code <pm_id>}. */
    private static final Pattern APP_OPERAND = Pattern.compile("\\b(id|name|pm_id)\\b");

    private VerbWords() {}

    /** Every verb's syntax, in help order. */
    static List<Syntax> syntaxes() {
        List<Syntax> all = new ArrayList<>();
        for (Command command : Main.commands()) {
            all.add(command.syntax());
        }
        return all;
    }

    /** Every name of every verb, aliases included. */
    static List<String> allNames() {
        List<String> names = new ArrayList<>();
        for (Syntax syntax : syntaxes()) {
            names.addAll(syntax.names());
        }
        return names;
    }

    /** Whether the verb's operands are apps (names or ids), which the scripts complete from the daemon. */
    static boolean takesApps(Syntax syntax) {
        return APP_OPERAND.matcher(syntax.operands()).find();
    }

    /** Every spelling of every flag of the verb, then {@code --help}, which every verb takes. */
    static List<String> spellings(Syntax syntax) {
        List<String> words = new ArrayList<>();
        for (Flag flag : syntax.flags()) {
            words.addAll(flag.spellings());
        }
        if (!words.contains("--help")) {
            words.add("--help");
        }
        return words;
    }

    /** A shell word in single quotes: {@code it's} as {@code 'it'\''s'}. */
    static String quoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
