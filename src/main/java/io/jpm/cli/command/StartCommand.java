package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.EcosystemFileKind;
import io.jpm.protocol.ProcessSummary;
import io.jpm.protocol.StartRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code jpm start [script|name|id|ecosystem file|-] [options] [-- args...]}: pm2's flags, turned
 * into pm2's ecosystem option names ({@link StartOptions}). With no argument it starts pm2's
 * default file, {@code ecosystem.config.js}; {@code -} reads the apps as JSON on stdin.
 */
public final class StartCommand extends ParsedCommand {
  static final Syntax SYNTAX = Syntax.of("start")
      .operands("[script|name|id|ecosystem file|-]", 0, 1)
      .summary("start a script, a stopped app, or an ecosystem file's apps")
      .note("after --: the script's own arguments (jpm start app.py -- --port 8000)")
      .note("no argument: ./ecosystem.config.js. Ecosystem files: .json, .yml/.yaml, .config.js/.cjs/.mjs (run by node)")
      .note("-: the apps as JSON on stdin ({\"apps\":[...]}, an array or one app); also for stop, restart, delete")
      .note("--no-daemon: run the daemon in the foreground (stream the logs, stop everything on Ctrl-C), see bin/jpm-runtime")
      .flags(StartFlags.TABLE);

  public StartCommand() {
    super(SYNTAX);
  }

  @Override
  public int run(List<String> words, Session session) throws IOException {
    return run(StartRequests.parse(SYNTAX, words), session);
  }

  @Override
  int run(Args args, Session session) throws IOException {
    StartRequest request = StartRequests.request(args, target(args), StartRequest.RESTART);
    if (StdinApps.TARGET.equals(target(args))) {
      return startFromStdin(request, args, session);
    }
    if (args.has("write")) {
      writeConfig(request, session);
    }
    Json.Value started = session.request(Addresses.CMD_START, request.toMap());
    StartRequests.printStarted(started, session);
    if (args.has("mini_list")) {
      new LsCommand().run(List.of("-m"), session);
    } else {
      session.printTable();
    }
    return args.has("attach") ? AttachLogs.follow(started, session) : 0;
  }

  /** The start request these words ask for (jpm-runtime sends it to the daemon it runs). */
  public StartRequest request(List<String> words) throws IOException {
    Args args = StartRequests.parse(SYNTAX, words);
    return StartRequests.request(args, target(args), StartRequest.RESTART);
  }

  private static String target(Args args) {
    return args.positionals.isEmpty() ? EcosystemFileKind.DEFAULT_FILE : args.positionals.get(0);
  }

  /**
   * pm2's {@code -w/--write}: the app's options go to {@code <name>-pm2.json} in the current folder
   * (a temp file, then renamed), a file {@code jpm start} (and pm2) can start again.
   */
  @SuppressWarnings("unchecked")
  private static void writeConfig(StartRequest request, Session session) throws IOException {
    List<Object> apps = request.apps();
    if (apps.isEmpty()) {
      throw CliException.usage("--write writes the options of a script started from the command line, not of an ecosystem file");
    }
    Map<String, Object> app = (Map<String, Object>) apps.get(0);
    Object script = app.get("script");
    String name = app.containsKey("name") ? String.valueOf(app.get("name"))
        : Path.of(String.valueOf(script)).getFileName().toString().replaceFirst("\\.[^.]+$", "");
    Path target = Path.of(System.getProperty("user.dir")).resolve(name + "-pm2.json");
    Path temp = java.nio.file.Files.createTempFile(target.getParent(), "." + name, ".tmp");
    java.nio.file.Files.writeString(temp, Json.pretty(app) + "\n");
    java.nio.file.Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    session.out.println("[jpm] Writing configuration to " + target);
  }

  /** pm2's {@code start -}: each app of the JSON on stdin is started as if named on the command line. */
  private int startFromStdin(StartRequest request, Args args, Session session) throws IOException {
    if (!args.passthrough.isEmpty()) {
      throw CliException.usage("arguments after -- go with a script, not with apps read from stdin");
    }
    List<Map<String, Object>> apps = StdinApps.read(System.in);
    for (Map<String, Object> app : apps) {
      StartRequests.printStarted(session.request(Addresses.CMD_START, request.withApps(List.of(app)).toMap()), session);
    }
    session.printTable();
    return 0;
  }
}
