package io.jpm.cli;

import java.io.IOException;
import java.util.List;

/** One CLI verb. Returns the exit status; throws {@link CliException} for a one-line failure. */
interface Command {
  int run(List<String> words, Session session) throws IOException;
}
