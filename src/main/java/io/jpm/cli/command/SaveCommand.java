package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.util.Map;

/** {@code jpm save|dump [--force]}: the app list to JPM_HOME/dump.json; an empty list keeps the old dump unless forced. */
public final class SaveCommand extends ParsedCommand {
    public SaveCommand() {
        super(Syntax.of("save", "dump")
                .summary("write the app list to JPM_HOME/dump.json (your snapshot), which resurrect starts again")
                .flag(Flag.toggle("-f|--force", "force", "save even an empty list over the last dump")));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        Map<String, Object> body = Json.object();
        body.put("force", args.has("force"));
        Json.Value saved = session.request(Addresses.CMD_SAVE, body);
        if (saved.has("warning") && !saved.path("warning").isNull()) {
            System.err.println("[jpm] warning: " + saved.path("warning").asText());
            return 0;
        }
        session.out.println("[jpm] saved " + saved.path("apps").asText() + " app(s) to "
                + saved.path("file").asText());
        return 0;
    }
}
