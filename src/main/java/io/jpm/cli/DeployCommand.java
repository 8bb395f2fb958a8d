package io.jpm.cli;

import io.jpm.deploy.Deploy;
import java.util.List;

/**
 * {@code jpm deploy [file] <environment> [command]}: pm2's deploy over ssh, all of it in
 * {@code io.jpm.deploy}, whose classes load only for this verb. Talks to no daemon.
 */
final class DeployCommand implements Command {
  @Override
  public int run(List<String> words, Session session) {
    return Deploy.run(words, session.out, System.err);
  }
}
