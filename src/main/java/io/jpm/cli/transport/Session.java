package io.jpm.cli.transport;

import io.jpm.cli.CliException;
import io.jpm.cli.render.Render;
import io.jpm.cli.render.SupervisionLines;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.ProcessSummary;
import io.jpm.protocol.ProcessView;
import io.jpm.protocol.TargetRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What a command works with: JPM_HOME, the daemon (connected on first use), stdout. */
public final class Session implements AutoCloseable {
    /** Commands wait this long for their reply: a stop may wait for many apps, each up to its wait before SIGKILL. */
    public static final int REQUEST_TIMEOUT_MS = 120_000;
    /** The supervision notes are extra: a daemon slow to give them holds a command this long at most. */
    public static final int SUPERVISION_TIMEOUT_MS = 5000;
    /** The list query of the ls table: no environment, only the fields the table shows (docs/PROTOCOL.md). */
    public static final Map<String, Object> TABLE_QUERY = Map.of("env", false, "view", ProcessView.TABLE_VIEW);

    public final JpmHome home;
    public final PrintStream out;
    private final DaemonConnector connector;
    private BridgeClient client;
    /** Whether a daemon of another build is named on stderr (not by jpm update, which replaces it). */
    private boolean checkBuild = true;

    public Session(JpmHome home, PrintStream out) {
        this.home = home;
        this.out = out;
        this.connector = new DaemonConnector(home);
        Path door = home.cliSocket();
        if (door != null && Files.exists(door)) {
            UnixLink.warmUp(); // a daemon's door is there: the command will most likely go through it
        }
    }

    /** The daemon, started first when none runs. */
    public BridgeClient daemon() {
        if (client == null) {
            client = connector.connectOrStart();
            RecoveryNote.showOnce(home, System.err);
            sayIfOtherBuild();
            if (connector.startedOne()) {
                // the command that started a daemon says what its supervision found (a keeper that
                // gave up, apps it could not adopt); jpm ls says it again under its table
                for (String line : supervisionNotes()) {
                    System.err.println(line);
                }
            }
        }
        return client;
    }

    /** jpm update: the daemon's build is what it replaces, not news. */
    public void skipBuildCheck() {
        checkBuild = false;
    }

    /** One line on stderr when the daemon runs another build than this CLI (pm2: "In-memory PM2 is out-of-date"). */
    private void sayIfOtherBuild() {
        String line = checkBuild ? connector.otherBuildLine() : null;
        if (line != null) {
            System.err.println(line);
        }
    }

    /**
     * The daemon's notes on its own supervision, one {@code [jpm]} line each ({@code jpm.query.supervision});
     * none from a daemon that does not answer it (an older one).
     */
    public List<String> supervisionNotes() {
        try {
            return SupervisionLines.of(
                    daemon().request(Addresses.QUERY_SUPERVISION, Json.object(), SUPERVISION_TIMEOUT_MS));
        } catch (CliException | IOException e) {
            return List.of(); // the notes are extra: a daemon that does not answer them fails no command
        }
    }

    /** Whether this command started the daemon (and so printed its notes already). */
    public boolean startedDaemon() {
        return connector.startedOne();
    }

    /** The daemon if one runs, else null (for verbs that must not start one, like kill). */
    public BridgeClient runningDaemon() {
        if (client == null) {
            client = connector.connectIfRunningOrKept();
            if (client != null) {
                RecoveryNote.showOnce(home, System.err);
                sayIfOtherBuild();
            }
        }
        return client;
    }

    /** What a keeper would run to start this client's daemon; empty when no keeper may run here. */
    public Optional<DaemonConnector.KeeperStart> keeperStart() throws IOException {
        return connector.keeperStart();
    }

    /** Forgets the daemon (it was replaced): the next use connects again, starting one if needed. */
    public void disconnect() throws IOException {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    public Json.Value request(String address, Map<String, Object> body) throws IOException {
        return daemon().request(address, body, REQUEST_TIMEOUT_MS);
    }

    /**
     * {"targets":[...],"cwd":...}, the body of every verb that names processes; with the client's
     * env when a target is an ecosystem file (a JavaScript file reads {@code process.env}).
     */
    public static Map<String, Object> targets(List<String> targets) {
        return TargetRequest.fromClient(targets, System.getenv()).toMap();
    }

    /** A command's reply: the processes it acted on. */
    public static List<ProcessSummary> summaries(Json.Value reply) {
        return reply.raw instanceof List<?> list ? ProcessSummary.listFrom(list) : List.of();
    }

    /** Prints the process table, as pm2 does after most verbs; no app's warning mark (jpm ls has them). */
    public void printTable() throws IOException {
        printTable(List.of());
    }

    /** The process table with the warning marks of the apps a command read the options of ({@code acted}). */
    public void printTable(Collection<String> acted) throws IOException {
        out.print(Render.table(Render.sorted(request(Addresses.QUERY_LIST, TABLE_QUERY), "name"), acted));
    }

    /** The names of the processes of a command's reply, once each. */
    public static Set<String> names(Json.Value reply) {
        Set<String> names = new LinkedHashSet<>();
        summaries(reply).forEach(p -> names.add(p.name()));
        return names;
    }

    @Override
    public void close() throws IOException {
        if (client != null) {
            client.close();
        }
    }
}
