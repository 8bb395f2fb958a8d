package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.BridgeClient;
import io.jpm.cli.transport.DaemonJvm;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.nio.file.Files;

/**
 * {@code jpm update} (and pm2's alias {@code updatePM2}): replaces the running daemon with the
 * installed jpm, the jar this client runs from. The daemon writes what runs to
 * JPM_HOME/handover.json ({@code jpm.cmd.update}; the user's dump.json is not touched), is killed,
 * and the new daemon restores that list before it answers: every app starts again with its pm_id,
 * name, env and log files, the stopped ones stay stopped. They are restarted, not adopted: their
 * stdout and stderr are pipes the old JVM held, gone with it (docs/COMPAT.md).
 *
 * <pre>
 * [jpm] Updating the daemon 4242 in /home/me/.jpm with /opt/jpm/target/jpm.jar
 * [jpm] 3 app(s), 4 process(es) handed over in /home/me/.jpm/handover.json
 * [jpm] 4 process(es) stopped
 * [jpm] Spawning jpm daemon with JPM_HOME=/home/me/.jpm
 * [jpm] jpm daemon started
 * >>>>>>>>>> jpm updated
 * (the table)
 * </pre>
 */
public final class UpdateCommand extends ParsedCommand {
    public UpdateCommand() {
        super(Syntax.of("update", "updatePM2")
                .summary(
                        "replace the daemon with the installed jpm: every app starts again with its pm_id, env and log files"
                                + " (stopped ones stay stopped); dump.json is not touched"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
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
        Json.Value handed = old.request(Addresses.CMD_UPDATE, Json.object(), Session.REQUEST_TIMEOUT_MS);
        session.out.println("[jpm] " + handed.path("apps").asText() + " app(s), "
                + handed.path("processes").asText() + " process(es) handed over in "
                + handed.path("file").asText());
        Json.Value killed = old.request(Addresses.CMD_KILL, Json.object(), Session.REQUEST_TIMEOUT_MS);
        session.out.println("[jpm] " + killed.path("stopped").asText() + " process(es) stopped");
        KillCommand.awaitExit(pid, 30_000);
        session.disconnect();
        session.daemon(); // the installed jpm's daemon, which restores the handover before it answers
        session.out.println(">>>>>>>>>> jpm updated");
        session.printTable();
        return 0;
    }
}
