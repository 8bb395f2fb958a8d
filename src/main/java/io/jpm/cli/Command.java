package io.jpm.cli;

import io.jpm.cli.transport.Session;
import java.io.IOException;
import java.util.List;

/**
 * One CLI verb: its command line ({@link #syntax}, which parses the words and prints the help) and
 * what it does. Returns the exit status; throws {@link CliException} for a one-line failure.
 */
public interface Command {
    Syntax syntax();

    int run(List<String> words, Session session) throws IOException;
}
