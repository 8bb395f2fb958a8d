package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.AppOption;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code start --trace} does before its request, as pm2's start does: installs the
 * OpenTelemetry packages when they are missing ({@link OtelPackages}), so the app's first run is
 * already traced. A failed install does not stop the start: the app runs untraced, which this says
 * here and its preload says again in its error log. A target that cannot be a Node app (a Python
 * script, another interpreter) installs nothing; the daemon warns that trace applies to Node apps
 * only.
 */
final class TraceSetup {
    /** The extensions whose interpreter is not node (the daemon's table; anything else may be Node's). */
    private static final Set<String> NOT_NODE = Set.of(".py", ".sh", ".rb", ".pl", ".php", ".jar", ".java");

    private TraceSetup() {}

    static void prepare(Args args, List<String> targets, Session session) {
        if (!args.has(AppOption.TRACE.flagName()) || targets.stream().noneMatch(t -> mayBeNode(args, t))) {
            return;
        }
        OtelPackages packages = new OtelPackages(session.home);
        if (packages.installed()) {
            return;
        }
        try {
            packages.install(session.out);
        } catch (IOException e) {
            System.err.println("[jpm] Failed to install OpenTelemetry packages: " + e.getMessage());
            System.err.println("[jpm] Install manually with: jpm install-otel");
            System.err.println("[jpm] Tracing disabled: OpenTelemetry packages not available");
        }
    }

    /** Whether the target may run under node: by its interpreter when given, else by its extension. */
    static boolean mayBeNode(Args args, String target) {
        String interpreter = args.get(AppOption.INTERPRETER.key);
        if (interpreter != null) {
            String word = Path.of(interpreter).getFileName().toString();
            return word.equals("node") || word.equals("nodejs");
        }
        if (args.has("execute_command")) {
            return false;
        }
        String lower = target.toLowerCase(Locale.ROOT);
        int dot = lower.lastIndexOf('.');
        return dot < 0 || dot < lower.lastIndexOf('/') || !NOT_NODE.contains(lower.substring(dot));
    }
}
