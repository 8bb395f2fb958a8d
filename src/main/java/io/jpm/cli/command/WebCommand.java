package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import java.io.IOException;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code jpm web}: turns the daemon's HTTP server on through jpm.json (web.enabled, and web.port /
 * web.host when given, as {@code jpm set} would), waits until the daemon applied it, and prints the
 * URL and which token file to use. pm2 7 has no {@code pm2 web} any more; its old JSON is jpm's
 * {@code GET /} (docs/API.md, docs/COMPAT.md).
 */
public final class WebCommand extends ParsedCommand {
    /** The settings file is applied on the watcher's next scan (1 s by default); a bind is quick. */
    private static final long APPLY_WAIT_MS = 20_000;

    private static final long POLL_MS = 100;

    public WebCommand() {
        super(Syntax.of("web")
                .summary("serve the HTTP API, dashboard and /metrics (127.0.0.1:9615 by default) and print its URL")
                .flag(Flag.option("--port", "port", "N", "listen on this port (web.port; 0: any free port)"))
                .flag(Flag.option("--host", "host", "address", "listen on this address (web.host; default 127.0.0.1)"))
                .flag(Flag.toggle("--off", "off", "turn the HTTP server off (web.enabled false)"))
                .note(
                        "Reads need the read-only token (JPM_HOME/token.readonly), actions the admin token (JPM_HOME/token),")
                .note("sent as Authorization: Bearer <token>. docs/API.md lists every route."));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        if (args.has("off")) {
            set(session, "web.enabled", "false");
            await(session, state -> !state.path("enabled").asBoolean());
            session.out.println("[jpm] HTTP server off");
            return 0;
        }
        Integer port = null;
        if (args.has("port")) {
            try {
                port = Integer.parseInt(args.get("port"));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) {
                throw new CliException(
                        JpmError.INVALID_ARGUMENT,
                        "--port expects a port number from 0 to 65535, got '" + args.get("port") + "'");
            }
            set(session, "web.port", port.toString());
        }
        String host = args.get("host");
        if (host != null) {
            set(session, "web.host", Json.text(host));
        }
        set(session, "web.enabled", "true");
        int wantedPort = port == null ? -1 : port;
        Json.Value state = await(
                session,
                s -> s.path("enabled").asBoolean()
                        && (host == null || host.equals(s.path("host").asText()))
                        && (wantedPort <= 0 || wantedPort == s.path("port").asInt())
                        && (s.path("listening").asBoolean() || !s.path("error").isNull()));
        if (!state.path("listening").asBoolean()) {
            throw new CliException(JpmError.UNAVAILABLE, state.path("error").asText());
        }
        String url = state.path("url").asText();
        session.out.println("[jpm] HTTP server on " + url + " (jpm.json: web.enabled = true)");
        session.out.println("[jpm] reads:     curl -H \"Authorization: Bearer $(cat "
                + state.path("readonly_token_file").asText() + ")\" " + url + "/");
        session.out.println("[jpm] actions:   the admin token, in "
                + state.path("token_file").asText());
        session.out.println("[jpm] dashboard: " + url + "/ui");
        session.out.println("[jpm] metrics:   " + url + "/metrics"
                + (state.path("open_metrics").asBoolean() ? " (no token needed: web.open_metrics)" : ""));
        return 0;
    }

    private static void set(Session session, String key, String value) throws IOException {
        Map<String, Object> body = Json.object();
        body.put("key", key);
        body.put("value", value);
        session.request(Addresses.CMD_SET, body);
    }

    /** Polls jpm.query.web until the daemon applied the edit (the watcher reads jpm.json on its next scan). */
    private static Json.Value await(Session session, Predicate<Json.Value> done) throws IOException {
        long deadline = System.nanoTime() + APPLY_WAIT_MS * 1_000_000;
        while (true) {
            Json.Value state = session.request(Addresses.QUERY_WEB, Json.object());
            if (done.test(state)) {
                return state;
            }
            if (System.nanoTime() > deadline) {
                throw new CliException(
                        JpmError.UNAVAILABLE,
                        "the daemon did not apply jpm.json's web section within " + APPLY_WAIT_MS / 1000
                                + " s: see jpm conf and the daemon log");
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }
}
