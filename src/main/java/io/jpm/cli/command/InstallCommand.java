package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import java.util.List;

/**
 * {@code jpm install pm2-logrotate}: jpm rotates logs itself, so the one pm2 module that
 * provisioning scripts install everywhere is accepted and nothing is installed (a {@code set -e}
 * script goes on to its {@code set pm2-logrotate:<key>} lines, which jpm maps onto its own
 * rotation). Any other module is refused: jpm has no module system.
 */
public final class InstallCommand extends ParsedCommand {
    public static final String NO_MODULES = "jpm has no module system: run the module as an app with jpm start";

    public InstallCommand() {
        super(Syntax.of("install", "module:install")
                .operands("<module>", 1, 1)
                .summary(
                        "pm2-logrotate only: accepted, nothing to install (jpm rotates logs itself); any other module is refused")
                .flags(List.of(
                        Flag.toggle("--tarball", "tarball", "pm2's; ignored"),
                        Flag.toggle("--install", "install", "pm2's; ignored"),
                        Flag.toggle("--docker", "docker", "pm2's; ignored"),
                        Flag.toggle("--v1", "v1", "pm2's; ignored"),
                        Flag.option("--safe", "safe", "[time]", "pm2's; ignored"))));
    }

    @Override
    int run(Args args, Session session) {
        String module = args.positionals.get(0);
        if (!module.equals("pm2-logrotate") && !module.startsWith("pm2-logrotate@")) {
            throw CliException.usage("install: " + NO_MODULES);
        }
        session.out.println("[jpm] pm2-logrotate: nothing to install, jpm rotates logs itself (JPM_HOME/jpm.json's logs"
                + " section: max_size, retain, compress, rotate_interval; jpm get shows them)");
        session.out.println(
                "[jpm] jpm set pm2-logrotate:<max_size|retain|compress|rotateInterval> <value> sets them, as with pm2");
        return 0;
    }
}
