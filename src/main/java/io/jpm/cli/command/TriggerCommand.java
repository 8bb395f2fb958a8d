package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.render.TerminalText;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code jpm trigger <id|name|namespace|all> <action_name> [params]}: pm2's trigger, an action a Node
 * app declared with @pm2/io ({@code io.action}) run in each instance that has it, and each reply
 * printed as pm2 prints it, {@code [name:pm_id:namespace]=<the reply as JSON>}, after the line
 * {@code N processes have received command <action>}. An instance that has not replied within 30 s
 * is named on stderr and the exit code is 1.
 */
public final class TriggerCommand extends ParsedCommand {
    public TriggerCommand() {
        super(Syntax.of("trigger")
                .operands("<id|name|namespace|all> <action_name> [params]", 2, 3)
                .summary("run an action the app declared with @pm2/io (io.action) and print its reply"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("target", args.positionals.get(0));
        body.put("action", args.positionals.get(1));
        if (args.positionals.size() > 2) {
            body.put("params", args.positionals.get(2)); // pm2 passes the word as it is, a string
        }
        Json.Value answer = session.request(Addresses.CMD_TRIGGER, body);
        session.out.println(
                answer.path("sent").asText() + " processes have received command " + args.positionals.get(1));
        for (Json.Value reply : answer.path("replies")) {
            Object value = reply.path("return").raw;
            session.out.println(
                    "[" + who(reply) + "]=" + TerminalText.harmless(value == null ? "undefined" : Json.text(value)));
        }
        int missing = 0;
        for (Json.Value silent : answer.path("missing")) {
            System.err.println("[jpm] " + who(silent) + " has not replied within 30 s");
            missing++;
        }
        return missing == 0 ? 0 : 1;
    }

    /** pm2's "name:pm_id:namespace". */
    private static String who(Json.Value instance) {
        return instance.path("name").asText() + ":" + instance.path("pm_id").asText() + ":"
                + instance.path("namespace").asText();
    }
}
