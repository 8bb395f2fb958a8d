package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code jpm multiset "<key> <value> [<key> <value> ...]"}: pm2's multiset, every pair written at
 * once (or none, when one is refused), then the app of the first key restarted, as pm2 does.
 */
public final class MultisetCommand extends ParsedCommand {
    /** pm2's words: runs of anything but spaces and quotes, a quoted part keeping its spaces. */
    private static final Pattern WORDS = Pattern.compile("(?:[^ \"]+|\"[^\"]*\")+");

    public MultisetCommand() {
        super(Syntax.of("multiset")
                .operands("\"<key> <value> [<key> <value> ...]\"", 1, Syntax.MANY)
                .summary("several keys at once, as set; the app of the first key is restarted"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        List<ModuleConfig.Pair> pairs = pairs(String.join(" ", args.positionals));
        ModuleConfig.set(session, pairs);
        ModuleConfig.show(session, ModuleConfig.app(pairs.get(0).key()));
        return 0;
    }

    /**
     * The pairs of pm2's serial form. A quoted value loses its quotes (pm2 keeps them in the value);
     * an odd number of words is refused (pm2 drops the last key's value, which removes that key).
     */
    static List<ModuleConfig.Pair> pairs(String serial) {
        List<String> words = new ArrayList<>();
        Matcher m = WORDS.matcher(serial);
        while (m.find()) {
            words.add(m.group());
        }
        if (words.isEmpty() || words.size() % 2 != 0) {
            throw CliException.usage("multiset takes pairs, \"<key> <value> [<key> <value> ...]\", got " + words.size()
                    + " word" + (words.size() == 1 ? "" : "s"));
        }
        List<ModuleConfig.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < words.size(); i += 2) {
            // a key keeps its quotes, which protect a dot in its parts (ConfKeys.split)
            pairs.add(new ModuleConfig.Pair(words.get(i), words.get(i + 1).replace("\"", "")));
        }
        return pairs;
    }
}
