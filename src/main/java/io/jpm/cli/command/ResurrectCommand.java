package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import java.io.IOException;

/**
 * {@code jpm resurrect}: the dumped apps that do not run start, with the options and environment
 * they were saved with (from dump.json.bak when dump.json is unreadable).
 */
public final class ResurrectCommand extends ParsedCommand {
    public ResurrectCommand() {
        super(Syntax.of("resurrect").summary("start the saved apps that do not run"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        Json.Value result = session.request(Addresses.CMD_RESURRECT, Json.object());
        session.out.println("[jpm] resurrecting from " + result.path("from").asText());
        for (Json.Value p : result.path("started")) {
            session.out.println("[jpm] " + p.path("name").asText() + " (id "
                    + p.path("pm_id").asText() + ") " + p.path("status").asText());
        }
        for (Json.Value name : result.path("skipped")) {
            session.out.println("[jpm] " + name.asText() + " already runs: left as it is");
        }
        int failures = 0;
        for (Json.Value error : result.path("errors")) {
            System.err.println("[jpm] not restored: " + error.asText());
            failures++;
        }
        session.printTable();
        return failures == 0 ? 0 : 1;
    }
}
