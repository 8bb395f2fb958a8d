package io.jpm.cli.command;

import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.EcosystemFileKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * restart and reload: pm2's --update-env, --env and --parallel, and targets that are all ecosystem
 * files go through {@link FileStartCommand} (the file's apps take its options and env, always:
 * pm2 updates the env when it reads a file, so --update-env changes nothing there, and those that
 * do not run start).
 */
abstract class RestartingCommand extends TargetActionCommand {
  static final List<Flag> ENV_FLAGS = List.of(
      Flag.toggle("--update-env|-a", "update_env", "take the shell's environment now (else an app keeps the env it started with)"),
      Flag.option("--env", "env_name", "name", "an ecosystem file's env_<name> section applies"),
      Flag.option("--parallel", "parallel", "N", "at most N instances restarted at a time"));
  /** pm2's: the apps' listen_timeout from this restart or reload on (pm2 keeps it too). */
  static final Flag LISTEN_TIMEOUT = Flag.option("--listen-timeout", "listen_timeout", "ms",
      "how long each new instance may take to be ready, from now on (ms, or like 20s)");

  RestartingCommand(Syntax syntax, String address, String done) {
    super(syntax, address, done);
  }

  /** The verb for a list of ecosystem files. */
  abstract FileStartCommand forFiles();

  @Override
  public int run(List<String> words, Session session) throws IOException {
    return namesOnlyFiles(words) ? restartFiles(words, session) : super.run(words, session);
  }

  /** Every target before {@code --} is an ecosystem file (and --watch, which files do not take, is absent). */
  private static boolean namesOnlyFiles(List<String> words) {
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < words.size() && !words.get(i).equals("--"); i++) {
      String word = words.get(i);
      if (word.equals("--env") || word.equals("--parallel") || word.equals("--host") || word.equals("--listen-timeout")) {
        i++; // its value
      } else if (!word.startsWith("-")) {
        targets.add(word);
      }
    }
    return !targets.isEmpty() && targets.stream().allMatch(EcosystemFileKind::isEcosystemFile)
        && words.stream().noneMatch(w -> w.equals("--watch") || w.equals("-w"));
  }

  private int restartFiles(List<String> words, Session session) throws IOException {
    List<String> rest = words.stream().filter(w -> !w.equals("--update-env") && !w.equals("-a")).toList();
    List<String> files = new ArrayList<>();
    List<String> flags = new ArrayList<>();
    for (int i = 0; i < rest.size(); i++) {
      String word = rest.get(i);
      boolean value = i > 0 && rest.get(i - 1).equals("--env");
      (value || !EcosystemFileKind.isEcosystemFile(word) ? flags : files).add(word);
    }
    FileStartCommand start = forFiles();
    int status = 0;
    for (String file : files) {
      List<String> one = new ArrayList<>(flags);
      one.add(0, file);
      status = Math.max(status, start.run(one, session));
    }
    return status;
  }
}
