package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.util.Map;

/** {@code jpm reloadLogs}: the daemon reopens every log file (after an outside tool moved them). */
public final class ReloadLogsCommand extends ParsedCommand {
    public ReloadLogsCommand() {
        super(Syntax.of("reloadLogs").summary("reopen every log file"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        session.out.println("[jpm] Reloading all logs...");
        Json.Value done = session.request(Addresses.CMD_RELOAD_LOGS, Map.of());
        session.out.println("[jpm] All logs reloaded (" + done.path("reopened").asText() + " open files)");
        return 0;
    }
}
