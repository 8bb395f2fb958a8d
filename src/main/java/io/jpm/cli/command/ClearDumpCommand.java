package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import java.io.IOException;

/** {@code jpm cleardump}: an empty app list in JPM_HOME/dump.json. */
public final class ClearDumpCommand extends ParsedCommand {
    public ClearDumpCommand() {
        super(Syntax.of("cleardump").summary("empty JPM_HOME/dump.json"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        Json.Value cleared = session.request(Addresses.CMD_CLEARDUMP, Json.object());
        session.out.println("[jpm] " + cleared.path("file").asText() + " now holds no app");
        return 0;
    }
}
