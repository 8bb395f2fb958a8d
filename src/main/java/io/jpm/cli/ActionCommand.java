package io.jpm.cli;

import io.jpm.protocol.TargetRequest;
import io.jpm.protocol.ProcessSummary;
import io.jpm.protocol.ActionRequest;
import io.jpm.protocol.EcosystemFileKind;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The verbs that act on named processes: {@code stop|restart|reload|delete|reset <id|name|all|
 * /regex/|ecosystem.json>...}. Prints what was done, then the table, like pm2.
 */
final class ActionCommand implements Command {
  private final String verb;
  private final String address;
  private final String done;

  /** restart and reload take pm2's --update-env and --env (see {@code RestartOptions}). */
  private final boolean envOptions;

  ActionCommand(String verb, String address, String done) {
    this(verb, address, done, false);
  }

  ActionCommand(String verb, String address, String done, boolean envOptions) {
    this.verb = verb;
    this.address = address;
    this.done = done;
    this.envOptions = envOptions;
  }

  @Override
  public int run(List<String> words, Session session) throws IOException {
    if (envOptions && namesOnlyFiles(words)) {
      return restartFiles(words, session);
    }
    Map<String, String> switches = new java.util.HashMap<>(Args.spellings("--attach", "attach"));
    Map<String, String> valued = new java.util.HashMap<>();
    if (envOptions) {
      switches.putAll(Args.spellings("--update-env|-a", "update_env"));
      valued.putAll(Args.spellings("--env", "env_name", "--parallel", "parallel"));
    }
    if ("restart".equals(verb) || "stop".equals(verb)) {
      switches.putAll(Args.spellings("--watch|-w", "watch"));
    }
    Args args = Args.parse(verb, words, valued, switches)
        .expectPositionals(verb, 1, Integer.MAX_VALUE, "<id|name|all|/regex/|ecosystem.json>..."
            + (envOptions ? " [--update-env] [--env name] [--parallel N]" : "")
            + ("restart".equals(verb) || "stop".equals(verb) ? " [--watch]" : "") + " [--attach]");
    List<String> targets = args.positionals.equals(List.of(StdinApps.TARGET)) ? StdinApps.names(System.in) : args.positionals;
    boolean updateEnv = args.has("update_env") || args.has("env_name");
    // --update-env sends the client's whole environment, else only for an ecosystem file's names
    TargetRequest target = updateEnv ? new TargetRequest(targets, System.getProperty("user.dir"), System.getenv())
        : TargetRequest.fromClient(targets, System.getenv());
    // pm2: restart --watch switches watching on or off; stop --watch stops watching too
    ActionRequest.Watch watch = !args.has("watch") ? ActionRequest.Watch.KEEP
        : "stop".equals(verb) ? ActionRequest.Watch.OFF : ActionRequest.Watch.TOGGLE;
    int parallel = args.has("parallel") ? (int) parallel(args.get("parallel")) : 0;
    ActionRequest request = new ActionRequest(target, updateEnv, args.get("env_name"), parallel, watch);
    Json.Value acted = session.request(address, request.toMap());
    for (ProcessSummary p : Session.summaries(acted)) {
      session.out.println("[jpm] " + p.name() + " (id " + p.pmId() + ") " + done);
    }
    session.printTable();
    return args.has("attach") ? AttachLogs.follow(acted, session) : 0;
  }

  /** pm2's --parallel N: at most N instances restarted at a time. */
  static long parallel(String value) {
    if (!value.matches("\\d{1,4}") || Long.parseLong(value) < 1) {
      throw CliException.usage("--parallel expects a number of instances at a time (1 or more), got '" + value + "'");
    }
    return Long.parseLong(value);
  }

  /** Every target before {@code --} is an ecosystem file. */
  private static boolean namesOnlyFiles(List<String> words) {
    List<String> targets = new java.util.ArrayList<>();
    for (int i = 0; i < words.size() && !words.get(i).equals("--"); i++) {
      String word = words.get(i);
      if (word.equals("--env") || word.equals("--parallel")) {
        i++; // its value
      } else if (!word.startsWith("-")) {
        targets.add(word);
      }
    }
    return !targets.isEmpty() && targets.stream().allMatch(EcosystemFileKind::isEcosystemFile)
        && words.stream().noneMatch(w -> w.equals("--watch") || w.equals("-w"));
  }

  /**
   * pm2's restart and reload of a file: the file's apps take its options and env (always: pm2
   * updates the env when it reads a file, so --update-env changes nothing here), and those that do
   * not run start, as with startOrRestart / startOrReload.
   */
  private int restartFiles(List<String> words, Session session) throws IOException {
    List<String> rest = words.stream().filter(w -> !w.equals("--update-env") && !w.equals("-a")).toList();
    List<String> files = new java.util.ArrayList<>();
    List<String> flags = new java.util.ArrayList<>();
    for (int i = 0; i < rest.size(); i++) {
      String word = rest.get(i);
      boolean value = i > 0 && rest.get(i - 1).equals("--env");
      (value || !EcosystemFileKind.isEcosystemFile(word) ? flags : files).add(word);
    }
    StartCommand start = new StartCommand(verb, "reload".equals(verb) ? "reload" : "restart", true);
    int status = 0;
    for (String file : files) {
      List<String> one = new java.util.ArrayList<>(flags);
      one.add(0, file);
      status = Math.max(status, start.run(one, session));
    }
    return status;
  }
}
