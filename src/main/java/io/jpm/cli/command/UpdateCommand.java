package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.BridgeClient;
import io.jpm.cli.transport.DaemonConnector.KeeperStart;
import io.jpm.cli.transport.DaemonJvm;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;

/**
 * {@code jpm update} (and pm2's alias {@code updatePM2}): replaces the running daemon with the
 * installed jpm, the jar this client runs from. The daemon writes what runs to
 * JPM_HOME/handover.json ({@code jpm.cmd.update}; the user's dump.json is not touched). Under a
 * keeper that is the apps' subreaper, it then leaves with every app running: its keeper runs the
 * keeper script this client wrote (in the same process) and starts the new daemon, which adopts
 * every run, same pid, pm_id, restart counts and uptime (docs/ARCHITECTURE.md, "The keeper").
 * Without one it is killed and the new daemon starts every app again with its pm_id, name, env and
 * log files, the stopped ones staying stopped; the output says which, in one line.
 *
 * <pre>
 * [jpm] Updating the daemon 4242 in /home/me/.jpm with /opt/jpm/target/jpm.jar
 * [jpm] 3 app(s), 4 process(es) handed over in /home/me/.jpm/handover.json
 * [jpm] the daemon leaves them running; its keeper starts the new one, which adopts them
 * [jpm] adopted 4, restarted 0
 * >>>>>>>>>> jpm updated
 * (the table)
 * </pre>
 */
public final class UpdateCommand extends ParsedCommand {
    /** How long the old daemon may take to go once it said it leaves (it halts at once). */
    private static final long LEAVE_DEADLINE_MS = 30_000;

    public UpdateCommand() {
        super(Syntax.of("update", "updatePM2")
                .summary("replace the daemon with the installed jpm: under its keeper every app keeps running and is"
                        + " adopted; without one every app starts again with its pm_id, env and log files"
                        + " (stopped ones stay stopped); dump.json is not touched"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        session.skipBuildCheck();
        BridgeClient old = session.runningDaemon();
        if (old == null) {
            session.out.println("[jpm] no daemon running for " + session.home.root()
                    + ": nothing to update (the next command starts" + " the installed jpm)");
            return 0;
        }
        int pid = Json.parse(Files.readAllBytes(session.home.daemonJson()))
                .path("pid")
                .asInt();
        session.out.println(
                "[jpm] Updating the daemon " + pid + " in " + session.home.root() + " with " + DaemonJvm.ownJar());
        Map<Integer, Long> before =
                UpdateOutcome.pids(old.request(Addresses.QUERY_LIST, Session.TABLE_QUERY, Session.REQUEST_TIMEOUT_MS));
        Optional<KeeperStart> keeper = session.keeperStart();
        Map<String, Object> body = Json.object();
        if (keeper.isPresent()) {
            body.put("script", keeper.get().script());
            body.put("command", keeper.get().daemon());
        }
        Json.Value handed = old.request(Addresses.CMD_UPDATE, body, Session.REQUEST_TIMEOUT_MS);
        session.out.println("[jpm] " + handed.path("apps").asText() + " app(s), "
                + handed.path("processes").asText() + " process(es) handed over in "
                + handed.path("file").asText());
        if (handed.path("adopt").asBoolean()) {
            session.out.println(
                    "[jpm] the daemon leaves them running; its keeper starts the new one, which adopts them");
        } else {
            session.out.println("[jpm] every app restarts under the new daemon, not adopted: "
                    + handed.path("why").asText("this daemon cannot leave them running"));
            Json.Value killed = old.request(Addresses.CMD_KILL, Json.object(), Session.REQUEST_TIMEOUT_MS);
            session.out.println("[jpm] " + killed.path("stopped").asText() + " process(es) stopped");
        }
        KillCommand.awaitExit(pid, LEAVE_DEADLINE_MS);
        session.disconnect();
        // the keeper's daemon (or, without one, the installed jpm's, started here), which adopts or
        // restores the handover before it answers
        session.daemon();
        int now = Json.parse(Files.readAllBytes(session.home.daemonJson()))
                .path("pid")
                .asInt();
        if (now == pid) {
            throw new CliException(
                    JpmError.UNAVAILABLE,
                    "the daemon " + pid + " did not leave within " + LEAVE_DEADLINE_MS / 1000
                            + " s: nothing was updated; see " + session.home.daemonLog());
        }
        Map<Integer, Long> after = UpdateOutcome.pids(session.request(Addresses.QUERY_LIST, Session.TABLE_QUERY));
        session.out.println(UpdateOutcome.of(before, after).line());
        session.out.println(">>>>>>>>>> jpm updated");
        session.printTable();
        return 0;
    }
}
