package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Syntax;
import io.jpm.cli.render.Render;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.ProcessEnd;
import io.jpm.protocol.ProcessView;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * pm2's {@code attach <pm_id> [separator]}: the app's output as it comes, raw; each line typed goes
 * to its stdin followed by the separator ("\n" by default); end of input or Ctrl-C detaches, the
 * app runs on.
 */
public final class AttachCommand extends ParsedCommand {
    public AttachCommand() {
        super(Syntax.of("attach")
                .operands("<pm_id> [separator]", 1, 2)
                .summary(
                        "the app's output live; each line typed goes to its stdin (then the separator, default a newline);"
                                + " end of input (Ctrl-D) or Ctrl-C detaches, the app runs on"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        long pmId = SendCommand.pmId(args.positionals.get(0));
        String separator = args.positionals.size() > 1 ? args.positionals.get(1) : "\n";
        // refuses an unknown or stopped pm_id before anything is shown (pm2 would wait in silence)
        checkRunning(session, pmId);
        // the status end of input detaches with; none while attached
        AtomicInteger detached = new AtomicInteger(STILL_ATTACHED);
        Thread typing = new Thread(
                () -> {
                    detached.set(forwardTyping(session, pmId, separator));
                    stopListening(session);
                },
                "jpm-attach-stdin");
        typing.setDaemon(true);
        try {
            // what is typed goes to the app only once its output is followed: an echo is never missed
            session.daemon().listen(List.of(Addresses.EVENTS_LOG), typing::start, message -> {
                for (Json.Value line : message.path("body").path("lines")) {
                    if (line.path("pm_id").asLong() == pmId) {
                        session.out.println(line.path("line").asText());
                    }
                }
                session.out.flush();
            });
        } catch (IOException | RuntimeException e) {
            if (detached.get() == STILL_ATTACHED) {
                throw e;
            }
            // the connection closed under the read by the detach: not a lost daemon
        }
        session.out.flush();
        return detached.get() == STILL_ATTACHED ? ProcessEnd.Code.OK.status : detached.get();
    }

    private static final int STILL_ATTACHED = -1;

    /** Closes the connection the main thread reads the app's output on: its read ends, and the command returns. */
    private static void stopListening(Session session) {
        try {
            session.daemon().close();
        } catch (IOException e) {
            // closed already
        }
    }

    private static void checkRunning(Session session, long pmId) throws IOException {
        for (ProcessView p : Render.views(session.request(Addresses.QUERY_LIST, Session.TABLE_QUERY))) {
            if (!p.oldRun() && p.pmId() == pmId) {
                if (p.pid() > 0) {
                    return;
                }
                throw new CliException(JpmError.INVALID_ARGUMENT, "Process with ID <" + pmId + "> offline.");
            }
        }
        throw new CliException(JpmError.UNKNOWN_TARGET, "Process with ID <" + pmId + "> unknown.");
    }

    /**
     * Lines typed go to the app over a connection of their own (the first one is busy listening);
     * end of input detaches, with the status returned: the command ends, as pm2's attach does when
     * its readline closes.
     */
    private static int forwardTyping(Session listening, long pmId, String separator) {
        try (Session typing = new Session(listening.home, listening.out);
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                SendCommand.send(typing, pmId, line + separator);
            }
        } catch (CliException e) {
            System.err.println("jpm: " + e.getMessage());
            return e.error.exitStatus();
        } catch (IOException e) {
            System.err.println("jpm: " + e.getMessage());
            return ProcessEnd.Code.FAILURE.status;
        }
        return ProcessEnd.Code.OK.status;
    }
}
