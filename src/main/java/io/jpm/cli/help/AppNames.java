package io.jpm.cli.help;

import io.jpm.cli.render.Render;
import io.jpm.cli.transport.BridgeClient;
import io.jpm.cli.transport.DaemonConnector;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.ProcessView;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code jpm __complete-apps}, what the completion scripts run at a Tab: the running daemon's app
 * names, then their ids, one a line. With no daemon it prints nothing and starts none (a Tab must
 * not start a daemon), and a failure is silent: a completion prints no error.
 */
public final class AppNames {
    /** The hidden verb: not in {@code jpm --help}, not a Syntax (it is no command a user types). */
    public static final String VERB = "__complete-apps";

    private static final int TIMEOUT_MS = 2000;

    private AppNames() {}

    public static int print(PrintStream out) {
        try (BridgeClient daemon = new DaemonConnector(JpmHome.fromEnvironment()).connectIfRunning()) {
            if (daemon == null) {
                return 0;
            }
            Set<String> names = new LinkedHashSet<>();
            Set<String> ids = new LinkedHashSet<>();
            for (ProcessView p : Render.views(daemon.request(Addresses.QUERY_LIST, Session.TABLE_QUERY, TIMEOUT_MS))) {
                names.add(p.name());
                ids.add(Render.text(p.listedId()));
            }
            names.addAll(ids);
            for (String word : names) {
                out.println(word);
            }
        } catch (Exception e) {
            // a Tab shows no error: no names is all it can say
        }
        return 0;
    }
}
