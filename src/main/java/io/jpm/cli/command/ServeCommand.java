package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.ProcessSummary;
import io.jpm.protocol.StartRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code jpm serve [path] [port] [--port P] [--spa] [--ftp] [--basic-auth-username u
 * --basic-auth-password p] [--name n] [--host h] [--follow-symlinks] [--cors origin]}: pm2's serve (lib/API/Extra.js), an app named
 * {@code static-page-server-<port>} with {@code script: "serve"} and pm2's {@code PM2_SERVE_*}
 * variables, started like any app through {@code jpm.cmd.start}. As in pm2, a
 * {@code PM2_SERVE_PATH} or {@code PM2_SERVE_PORT} in the shell wins over the arguments. Unlike
 * pm2, a port that is not one or a path that is not a folder is refused before anything starts, and
 * the server listens on 127.0.0.1 unless {@code --host} says otherwise (pm2: every interface).
 */
public final class ServeCommand extends ParsedCommand {
    static final String DEFAULT_PORT = "8080";
    static final Syntax SYNTAX = Syntax.of("serve", "expose")
            .operands("[path] [port]", 0, 2)
            .summary("a static file server as an app (static-page-server-<port>; default . 8080, 127.0.0.1)")
            .flag(Flag.option("--port", "port", "P", "the port (also the second operand)"))
            .flag(Flag.option("--name|-n", "name", "n", "the app's name (default static-page-server-<port>)"))
            .flag(Flag.option("--host", "host", "h", "the address to listen on (default 127.0.0.1)"))
            .flag(Flag.toggle("--spa", "spa", "a path that names no file answers index.html"))
            .flag(Flag.toggle("--ftp", "ftp", "a folder without index.html answers a listing"))
            .flag(Flag.option(
                    "--basic-auth-username", "username", "u", "ask for this user (with --basic-auth-password)"))
            .flag(Flag.option("--basic-auth-password", "password", "p", "and this password"))
            .flag(Flag.toggle(
                    "--follow-symlinks", "follow", "serve what links in the folder point to outside it (default: 404)"))
            .flag(Flag.option(
                    "--cors",
                    "cors",
                    "origin",
                    "send Access-Control-Allow-Origin: <origin> (* for any; default: none)"))
            .flag(Flag.option("--monitor", "monitor", "x", "pm2.io's browser monitoring: refused, jpm has none"));

    public ServeCommand() {
        super(SYNTAX);
    }

    /** What {@code jpm serve} asks the daemon to start: the app, and where it serves. */
    record Plan(String name, Path path, String port, Map<String, Object> app) {}

    @Override
    int run(Args args, Session session) throws IOException {
        Plan plan = plan(args, System.getenv(), Path.of(System.getProperty("user.dir")));
        StartRequest request = StartRequest.builder()
                .apps(List.of(plan.app()))
                .cwd(System.getProperty("user.dir"))
                .env(System.getenv())
                .build();
        Json.Value started = session.request(Addresses.CMD_START, request.toMap());
        for (ProcessSummary p : Session.summaries(started)) {
            session.out.println("[jpm] " + p.name() + " (id " + p.pmId() + ") " + p.status());
        }
        session.out.println("[jpm] Serving " + plan.path() + " on port " + plan.port());
        session.printTable();
        return 0;
    }

    /**
     * The app for a command line, checked: the folder exists, the port is one, basic auth has both
     * halves.
     *
     * @param shell the client's environment (pm2 reads PM2_SERVE_PATH and PM2_SERVE_PORT from it first)
     * @param cwd what a relative path is relative to
     */
    static Plan plan(Args args, Map<String, String> shell, Path cwd) {
        if (args.has("monitor")) {
            throw CliException.usage(
                    "serve: --monitor is pm2.io's browser monitoring, which jpm has no counterpart for");
        }
        String portText = firstSet(
                shell.get("PM2_SERVE_PORT"),
                args.positionals.size() > 1 ? args.positionals.get(1) : null,
                args.get("port"),
                DEFAULT_PORT);
        if (!portText.matches("\\d{1,5}") || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65535) {
            throw CliException.usage("serve: the port must be a number from 1 to 65535, got '" + portText + "'");
        }
        String port = Integer.toString(Integer.parseInt(portText));
        String pathText =
                firstSet(shell.get("PM2_SERVE_PATH"), args.positionals.isEmpty() ? null : args.positionals.get(0), ".");
        Path path = cwd.resolve(pathText).toAbsolutePath().normalize();
        if (!Files.isDirectory(path)) {
            throw CliException.usage("serve: " + path + (Files.exists(path) ? " is not a folder" : " does not exist"));
        }
        if (args.has("username") != args.has("password")) {
            throw CliException.usage("serve: basic auth needs both --basic-auth-username and --basic-auth-password");
        }
        if (args.has("username") && args.get("username").contains(":")) {
            throw CliException.usage("serve: --basic-auth-username cannot contain ':'");
        }
        Map<String, Object> env = Json.object();
        env.put("PM2_SERVE_PORT", port);
        env.put("PM2_SERVE_PATH", path.toString());
        env.put("PM2_SERVE_SPA", Boolean.toString(args.has("spa")));
        env.put("PM2_SERVE_FTP", Boolean.toString(args.has("ftp")));
        if (args.has("host")) {
            env.put("PM2_SERVE_HOST", args.get("host"));
        }
        if (args.has("follow")) {
            env.put("PM2_SERVE_FOLLOW_SYMLINKS", "true");
        }
        if (args.has("cors")) {
            env.put("PM2_SERVE_CORS", args.get("cors"));
        }
        if (args.has("username")) {
            env.put("PM2_SERVE_BASIC_AUTH", "true");
            env.put("PM2_SERVE_BASIC_AUTH_USERNAME", args.get("username"));
            env.put("PM2_SERVE_BASIC_AUTH_PASSWORD", args.get("password"));
        }
        String name = args.has("name") ? args.get("name") : "static-page-server-" + port;
        Map<String, Object> app = Json.object();
        app.put("script", "serve");
        app.put("name", name);
        app.put("cwd", path.toString());
        app.put("env", env);
        return new Plan(name, path, port, app);
    }

    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        throw new IllegalStateException("the last value is the default");
    }
}
