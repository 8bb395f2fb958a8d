package io.jpm.cli.command;

import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.cli.Args;
import io.jpm.cli.transport.Session;

import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code jpm events [--all]}: prints live process events (all jpm.events.* with --all), one JSON per line. */
public final class EventsCommand extends ParsedCommand {
  public EventsCommand() {
    super(Syntax.of("events")
        .summary("live process events, one JSON object per line, until Ctrl-C")
        .flag(Flag.toggle("--all", "all", "every event address (logs, metrics, config, balancer, health), each with its address")));
  }

  @Override
  int run(Args args, Session session) throws IOException {
    List<String> addresses = args.has("all")
        ? List.of(Addresses.EVENTS_PROCESS, Addresses.EVENTS_LOG, Addresses.EVENTS_METRICS, Addresses.EVENTS_CONFIG,
            Addresses.EVENTS_BALANCER, Addresses.EVENTS_HEALTH)
        : List.of(Addresses.EVENTS_PROCESS);
    session.daemon().listen(addresses, message -> {
      session.out.println(args.has("all")
          ? "{\"address\":\"" + message.path("address").asText() + "\",\"body\":" + message.path("body") + "}"
          : message.path("body").toString());
      session.out.flush();
    });
    return 0;
  }
}
