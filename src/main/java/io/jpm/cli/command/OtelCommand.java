package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.JpmError;
import java.io.IOException;

/**
 * {@code jpm install-otel} and {@code jpm uninstall-otel}: pm2's verbs for the OpenTelemetry
 * packages that {@code --trace} (or {@code trace: true}) needs, with pm2's messages. Both succeed
 * when there is nothing to do, as pm2's, so a provisioning script can run them every time. Neither
 * needs the daemon: the packages are files in JPM_HOME ({@link OtelPackages}), read at each traced
 * app's start.
 */
public final class OtelCommand extends ParsedCommand {
    private final boolean install;

    private OtelCommand(Syntax syntax, boolean install) {
        super(syntax);
        this.install = install;
    }

    public static OtelCommand install() {
        return new OtelCommand(
                Syntax.of("install-otel")
                        .summary("install the OpenTelemetry packages --trace needs (npm, into JPM_HOME/otel)"),
                true);
    }

    public static OtelCommand uninstall() {
        return new OtelCommand(
                Syntax.of("uninstall-otel").summary("remove the OpenTelemetry packages of install-otel"), false);
    }

    @Override
    int run(Args args, Session session) {
        OtelPackages packages = new OtelPackages(session.home);
        try {
            if (install && !packages.install(session.out)) {
                session.out.println("[jpm] OpenTelemetry packages are already installed");
            } else if (!install && !packages.remove(session.out)) {
                session.out.println("[jpm] OpenTelemetry packages are not installed");
            }
            return 0;
        } catch (IOException e) {
            throw new CliException(
                    JpmError.UNAVAILABLE,
                    "Failed to " + (install ? "install" : "remove") + " OpenTelemetry packages: " + e.getMessage());
        }
    }
}
