package io.jpm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code ls|list|status} (the table), {@code jlist} (pm2's JSON) and {@code describe|show <target>}. */
final class ListCommand implements Command {
  enum Form { TABLE, JSON, DESCRIBE }

  private final Form form;

  ListCommand(Form form) {
    this.form = form;
  }

  @Override
  public int run(List<String> words, Session session) throws IOException {
    if (form == Form.DESCRIBE) {
      Args args = Args.parse("describe", words, Map.of(), Map.of())
          .expectPositionals("describe", 1, Integer.MAX_VALUE, "<id|name|all>");
      JsonNode processes = session.request(Addresses.QUERY_DESCRIBE, Session.targets(args.positionals));
      for (JsonNode p : processes) {
        session.out.print(Render.describe(p));
      }
      return 0;
    }
    Args.parse(form == Form.JSON ? "jlist" : "ls", words, Map.of(), Map.of())
        .expectPositionals(form == Form.JSON ? "jlist" : "ls", 0, 0, "");
    JsonNode processes = session.request(Addresses.QUERY_LIST, BridgeClient.JSON.createObjectNode());
    session.out.print(form == Form.JSON ? BridgeClient.JSON.writeValueAsString(processes) + "\n" : Render.table(processes));
    return 0;
  }
}
