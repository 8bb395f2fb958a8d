package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.render.Render;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.Build;
import io.jpm.protocol.JpmEnv;
import io.jpm.protocol.LastLines;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;

/**
 * {@code jpm report}: what a bug report needs, in pm2's sections: the daemon (version, java,
 * pid, uptime, user), the CLI, the system, the settings file, the process table and the last lines
 * of the daemon's log. Secrets stay out: the tokens are never printed, and neither are app
 * environments (the table has none).
 */
public final class ReportCommand extends ParsedCommand {
    public ReportCommand() {
        super(Syntax.of("report")
                .summary("versions, settings, processes and the daemon's last log lines, for a bug report"));
    }

    static final int LOG_LINES = 30;
    private static final String RULE = "=".repeat(79);

    @Override
    int run(Args args, Session session) throws IOException {
        StringBuilder r = new StringBuilder();
        r.append(RULE)
                .append('\n')
                .append(title("jpm report"))
                .append("Date                 : ")
                .append(ZonedDateTime.now())
                .append('\n')
                .append(RULE)
                .append('\n');
        Json.Value pong = session.request(Addresses.QUERY_PING, Json.object());
        r.append(title("Daemon"));
        field(r, "jpmd version", pong.path("version").asText("unknown"));
        field(r, "jpmd build", Build.fromMap(pong.path("build").asMap()).describe());
        field(r, "java", pong.path("java").asText());
        field(r, "pid", pong.path("pid").asText());
        field(r, "uptime", Render.duration(pong.path("uptime").asLong()));
        field(r, "user", pong.path("user").asText());
        field(r, "host", pong.path("host").asText());
        field(r, "threads", pong.path("threads").asText());
        field(r, JpmEnv.HOME.variable, session.home.root().toString());
        r.append(RULE).append('\n').append(title("CLI"));
        field(r, "jpm version", Build.current().version());
        field(r, "jpm build", Build.current().describe());
        field(r, "java", System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")");
        field(r, "user", System.getProperty("user.name"));
        r.append(RULE).append('\n').append(title("System"));
        field(
                r,
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        field(r, "cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        field(r, "node", nodeOnPath());
        r.append(RULE)
                .append('\n')
                .append(title("Settings (" + session.home.root().resolve("jpm.json") + ")"));
        Path settings = session.home.root().resolve("jpm.json");
        r.append(
                        Files.isRegularFile(settings)
                                ? Files.readString(settings, StandardCharsets.UTF_8)
                                        .strip()
                                : "none: defaults")
                .append('\n');
        r.append(RULE).append('\n').append(title("Processes"));
        r.append(Render.table(session.request(Addresses.QUERY_LIST, Session.TABLE_QUERY)));
        r.append(RULE)
                .append('\n')
                .append(title("Daemon log (last " + LOG_LINES + " lines of " + session.home.daemonLog() + ")"));
        if (Files.isRegularFile(session.home.daemonLog())) {
            for (String line : LastLines.of(session.home.daemonLog(), LOG_LINES)) {
                r.append(line).append('\n');
            }
        }
        r.append(RULE).append('\n');
        session.out.print(r);
        return 0;
    }

    private static String title(String text) {
        return "--- " + text + " " + "-".repeat(Math.max(3, 74 - text.length())) + "\n";
    }

    private static void field(StringBuilder r, String key, String value) {
        r.append(String.format("%-21s: %s%n", key, value));
    }

    /** The node a JavaScript ecosystem file would be read with, or "not on PATH". */
    private static String nodeOnPath() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path node = Path.of(dir.isEmpty() ? "." : dir, "node");
                if (Files.isExecutable(node) && Files.isRegularFile(node)) {
                    return node.toString();
                }
            }
        }
        return "not on PATH (JavaScript ecosystem files need it)";
    }
}
