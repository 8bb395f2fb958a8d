package io.jpm.cli;

import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code jpm events [--all]}: prints live process events (all jpm.events.* with --all), one JSON per line. */
final class EventsCommand implements Command {
  @Override
  public int run(List<String> words, Session session) throws IOException {
    Args args = Args.parse("events", words, Map.of(), Args.spellings("--all", "all")).expectPositionals("events", 0, 0, "[--all]");
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
