package io.jpm.cli;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.StdinRequest;
import io.jpm.protocol.JpmError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An app's stdin, as pm2's {@code send <pm_id> <line>} (the line and a newline, then the table)
 * and {@code attach <pm_id> [separator]} (the app's output as it comes, raw; each line typed goes
 * to its stdin followed by the separator, "\n" by default; end of input or Ctrl-C detaches, the app
 * runs on). pm2's errors: a pm_id must be a number; an unknown or stopped one is refused.
 */
final class StdinCommand implements Command {
  private final boolean attach;

  StdinCommand(boolean attach) {
    this.attach = attach;
  }

  @Override
  public int run(List<String> words, Session session) throws IOException {
    String verb = attach ? "attach" : "send";
    Args args = Args.parse(verb, words, Map.of(), Map.of())
        .expectPositionals(verb, attach ? 1 : 2, attach ? 2 : Integer.MAX_VALUE, attach ? "<pm_id> [separator]" : "<pm_id> <line>");
    String id = args.positionals.get(0);
    if (!id.matches("\\d{1,9}")) {
      throw CliException.usage("pm_id must be a process number (not a process name), got '" + id + "'");
    }
    long pmId = Long.parseLong(id);
    if (!attach) {
      // pm2 takes one <line>; words after it are joined, as a shell user means them
      String line = String.join(" ", args.positionals.subList(1, args.positionals.size()));
      send(session, pmId, line + "\n");
      session.printTable();
      return 0;
    }
    String separator = args.positionals.size() > 1 ? args.positionals.get(1) : "\n";
    // refuses an unknown or stopped pm_id before anything is shown (pm2 would wait in silence)
    checkRunning(session, pmId);
    Thread typing = new Thread(() -> forwardTyping(session, pmId, separator), "jpm-attach-stdin");
    typing.setDaemon(true);
    typing.start();
    session.daemon().listen(List.of(Addresses.EVENTS_LOG), message -> {
      for (Json.Value line : message.path("body").path("lines")) {
        if (line.path("pm_id").asLong() == pmId) {
          session.out.println(line.path("line").asText());
        }
      }
      session.out.flush();
    });
    return 0;
  }

  private static void send(Session session, long pmId, String text) throws IOException {
    session.request(Addresses.CMD_STDIN, new StdinRequest((int) pmId, text).toMap());
  }

  private static void checkRunning(Session session, long pmId) throws IOException {
    for (Json.Value p : session.request(Addresses.QUERY_LIST, Session.TABLE_QUERY)) {
      if (p.path("pm_id").asLong() == pmId && p.has("pm_id")) {
        if (p.path("pid").asLong() > 0) {
          return;
        }
        throw new CliException(JpmError.INVALID_ARGUMENT, "Process with ID <" + pmId + "> offline.");
      }
    }
    throw new CliException(JpmError.UNKNOWN_TARGET, "Process with ID <" + pmId + "> unknown.");
  }

  /**
   * Lines typed go to the app over a connection of their own (the first one is busy listening);
   * end of input detaches: the JVM exits, as pm2's attach does when its readline closes.
   */
  private static void forwardTyping(Session listening, long pmId, String separator) {
    try (Session typing = new Session(listening.home, listening.out);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        send(typing, pmId, line + separator);
      }
    } catch (CliException e) {
      System.err.println("jpm: " + e.getMessage());
      listening.out.flush();
      Runtime.getRuntime().halt(e.error.exitStatus());
    } catch (IOException e) {
      System.err.println("jpm: " + e.getMessage());
      listening.out.flush();
      Runtime.getRuntime().halt(1);
    }
    listening.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
