package io.jpm.cli;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code jpm monit}: pm2's live terminal dashboard. This class only checks the arguments; the
 * screen lives in {@link MonitScreen} so the terminal library is loaded by this verb alone.
 */
final class MonitCommand implements Command {
  @Override
  public int run(List<String> words, Session session) throws IOException {
    Args.parse("monit", words, Map.of(), Map.of()).expectPositionals("monit", 0, 0, "");
    if (System.console() == null) {
      throw CliException.usage("monit needs a terminal (use jpm ls, jlist or events when piping)");
    }
    return MonitScreen.run(session);
  }
}
