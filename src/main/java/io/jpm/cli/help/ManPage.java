package io.jpm.cli.help;

import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.keeper.KeeperScript;
import io.jpm.protocol.Build;
import io.jpm.protocol.JpmEnv;
import io.jpm.protocol.JpmHome;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * jpm.1, the man page: NAME, SYNOPSIS, DESCRIPTION, COMMANDS (every verb of the {@link Syntax}
 * tables with its aliases, operands, notes and every flag), ENVIRONMENT, FILES (from {@link JpmHome}'s
 * paths) and SEE ALSO, in roff's man macros.
 */
public final class ManPage {
    /** The variables a user sets (docs/CONFIG.md, "The daemon's own settings"); ReleaseDocsTest checks them against it. */
    static final Map<String, String> ENVIRONMENT = new LinkedHashMap<>();

    static {
        for (JpmEnv variable : JpmEnv.forUsersAll()) {
            ENVIRONMENT.put(variable.variable, variable.manLine);
        }
        ENVIRONMENT.put(
                "PM2_RUNTIME_DEBUG", "read by jpm-runtime as pm2-runtime reads it: the apps start under a daemon");
        ENVIRONMENT.put("NO_COLOR", "set: no colours in the CLI's output");
    }

    private ManPage() {}

    public static String text(Build build) {
        StringBuilder man = new StringBuilder();
        man.append(".\\\" Generated from jpm's verb tables (io.jpm.cli.help.ManPage): do not edit.\n")
                .append(".TH JPM 1 \"")
                .append(build.built().length() >= 10 ? build.built().substring(0, 10) : build.built())
                .append("\" \"jpm ")
                .append(escape(build.version()))
                .append("\" \"User Commands\"\n");
        man.append(".SH NAME\njpm \\- a production process manager for any language, with pm2's commands\n");
        man.append(".SH SYNOPSIS\n.B jpm\n.I command\n.RI [ operands ]\n.RI [ options ]\n.br\n")
                .append(".B jpm\n.I command\n.B \\-\\-help\n.br\n.B jpm\n.BR \\-v | \\-\\-version\n")
                .append(".br\n.B jpm\\-runtime\n.RI [ options ]\n.I script|ecosystem\n");
        man.append(".SH DESCRIPTION\n")
                .append("jpm starts, supervises and restarts programs in any language, keeps their logs and\n")
                .append("balances their traffic. A daemon, one per JPM_HOME and user, runs the apps; the jpm\n")
                .append("command talks to it and starts it when none runs. The commands, their flags and their\n")
                .append("output follow pm2's, so a pm2 user's habits and scripts keep working.\n")
                .append(".PP\n")
                .append("Every command takes \\fB\\-s\\fR, \\fB\\-\\-silent\\fR (nothing on stdout, errors still\n")
                .append(
                        "on stderr) and \\fB\\-h\\fR, \\fB\\-\\-help\\fR (its usage). A failure is one line on stderr\n")
                .append("and a non\\-zero exit status. A CLI that talks to a daemon of another build says so in\n")
                .append("one line on stderr; \\fBjpm update\\fR starts this build's daemon, the apps running on.\n");
        man.append(".SH COMMANDS\n");
        for (Syntax syntax : VerbWords.syntaxes()) {
            command(man, syntax);
        }
        man.append(".SH ENVIRONMENT\n");
        for (Map.Entry<String, String> variable : ENVIRONMENT.entrySet()) {
            man.append(".TP\n.B ").append(escape(variable.getKey())).append('\n');
            man.append(escape(variable.getValue())).append('\n');
        }
        man.append(".SH FILES\n");
        for (Map.Entry<String, String> file : files().entrySet()) {
            man.append(".TP\n.I ").append(escape(file.getKey())).append('\n');
            man.append(escape(file.getValue())).append('\n');
        }
        man.append(".SH SEE ALSO\n")
                .append(".BR pm2 (1),\n.BR systemd.service (5),\n.BR java (1)\n.PP\n")
                .append("The documentation in the source tree: README.md, docs/CONFIG.md (every app option and\n")
                .append("setting), docs/COMPAT.md (where jpm differs from pm2), docs/PROTOCOL.md.\n");
        return man.toString();
    }

    private static void command(StringBuilder man, Syntax syntax) {
        man.append(".SS \"").append(escape(String.join(" | ", syntax.names()))).append("\"\n");
        man.append(".B jpm ").append(escape(syntax.verb())).append('\n');
        if (!syntax.operands().isEmpty()) {
            man.append(".I \"").append(escape(syntax.operands())).append("\"\n");
        }
        if (!syntax.flags().isEmpty()) {
            man.append(".RI [ options ]\n");
        }
        man.append(".PP\n").append(escape(syntax.summary())).append('\n');
        if (syntax.names().size() > 1) {
            man.append(".PP\nAlso: ")
                    .append(escape(String.join(
                            ", ", syntax.names().subList(1, syntax.names().size()))))
                    .append(".\n");
        }
        for (String note : syntax.notes()) {
            man.append(".PP\n").append(escape(note.strip())).append('\n');
        }
        for (Flag flag : syntax.flags()) {
            String spellings = escape(String.join(", ", flag.spellings()));
            if (flag.takesValue()) {
                // --name name in bold then italic
                man.append(".TP\n.BI \"").append(spellings).append(" \" \"");
                man.append(escape(flag.value())).append("\"\n");
            } else {
                man.append(".TP\n.B \"").append(spellings).append("\"\n");
            }
            man.append(escape(flag.help())).append('\n');
        }
    }

    /** JPM_HOME's files, named by {@link JpmHome} itself so the page follows the code. */
    private static Map<String, String> files() {
        JpmHome home = new JpmHome(Path.of("$JPM_HOME"));
        Map<String, String> files = new LinkedHashMap<>();
        files.put(home.root().toString(), "the daemon's home, ~/.jpm unless JPM_HOME says otherwise");
        files.put(home.settings().toString(), "jpm's own settings (jpm set, jpm conf); optional");
        files.put(home.daemonLog().toString(), "the daemon's log: its start line names its build");
        files.put(home.daemonJson().toString(), "the running daemon's pid, bridge address and build");
        files.put(home.pidFile().toString(), "the daemon's pid alone (pm2.pid under JPM_FILE_NAMES=pm2)");
        files.put(
                home.token().toString(),
                "the bridge's admin token (" + home.readOnlyToken().getFileName() + ": read only)");
        files.put(
                home.cliSocket().toString(),
                "the CLI's Unix socket, open to the daemon's user only (in a private folder of /tmp, named in "
                        + home.socketFolderRecord().getFileName() + ", when JPM_HOME is too deep for a socket path)");
        files.put(home.logs().toString(), "the apps' output and error logs");
        files.put(home.pids().toString(), "the apps' pid files");
        files.put(
                home.dump().toString(),
                "the apps jpm save wrote, which jpm resurrect starts (dump.pm2, pm2's format, under JPM_FILE_NAMES=pm2)");
        files.put(home.moduleConf().toString(), "module configuration (jpm set <module>:<key>), pm2's file");
        files.put(home.keeperScript().toString(), "the keeper, which starts the daemon again if it dies");
        files.put(
                home.keeperScript() + KeeperScript.WRITTEN_FROM,
                "the jar that wrote keeper.pl, and the file as written: a client of another jar writes it again");
        return files;
    }

    /** Text as roff reads it: backslashes and hyphens escaped, no line that starts a request. */
    static String escape(String text) {
        String escaped = text.replace("\\", "\\e")
                .replace("-", "\\-")
                .replace("\"", "\\(dq")
                .replace("\n", " ");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
