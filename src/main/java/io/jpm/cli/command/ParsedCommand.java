package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Command;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import java.io.IOException;
import java.util.List;

/**
 * A verb whose words its {@link Syntax} checks before it runs: an unknown flag, a missing value or
 * a wrong operand count fails with the usage line before anything reaches the daemon.
 */
abstract class ParsedCommand implements Command {
    private final Syntax syntax;

    ParsedCommand(Syntax syntax) {
        this.syntax = syntax;
    }

    @Override
    public final Syntax syntax() {
        return syntax;
    }

    @Override
    public int run(List<String> words, Session session) throws IOException {
        return run(syntax.parse(words), session);
    }

    /** What the verb does with its checked command line. */
    abstract int run(Args args, Session session) throws IOException;
}
