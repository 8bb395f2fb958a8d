package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.ProcessSummary;
import io.jpm.protocol.SignalRequest;
import io.jpm.protocol.TargetRequest;
import java.io.IOException;

/** {@code jpm sendSignal <signal> <id|name|all>}: the signal goes to each target's process group. */
public final class SignalCommand extends ParsedCommand {
    public SignalCommand() {
        super(Syntax.of("sendSignal")
                .operands("<signal> <id|name|all>...", 2, Syntax.MANY)
                .summary("send the signal (SIGUSR2, USR2 or 12) to each target's process group")
                .flag(TargetActionCommand.HOST));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        HostTargets onHost = HostTargets.of(args.positionals.subList(1, args.positionals.size()), args.get("host"))
                .resolve(session);
        TargetRequest target = TargetRequest.fromClient(onHost.targets(), System.getenv());
        Json.Value reached = onHost.request(
                session, Addresses.CMD_SIGNAL, new SignalRequest(args.positionals.get(0), target).toMap());
        for (ProcessSummary p : Session.summaries(reached)) {
            session.out.println("[jpm] " + args.positionals.get(0) + " sent to " + p.name() + " (id " + p.pmId()
                    + ", pid " + p.pid() + ")");
        }
        return 0;
    }
}
