package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.EcosystemFileKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * restart and reload: pm2's --update-env, --env and --parallel, and pm2's start flags, which
 * change the options of the apps named ({@code restart api --node-args=... --cron-restart ...}),
 * from their next run on, as pm2 merges them into an app's settings ({@code PM2_DEEP_MONITORING} in
 * the environment too, as pm2's deep_monitoring). Targets that are all ecosystem
 * files go through {@link FileStartCommand} (the file's apps take its options and env, always:
 * pm2 updates the env when it reads a file, so --update-env changes nothing there, and those that
 * do not run start).
 */
abstract class RestartingCommand extends TargetActionCommand {
    static final List<Flag> ENV_FLAGS = List.of(
            Flag.toggle(
                    "--update-env|-a",
                    "update_env",
                    "take the shell's environment now (else an app keeps the env it started with)"),
            Flag.option("--env", "env_name", "name", "an ecosystem file's env_<name> section applies"),
            Flag.option("--parallel", "parallel", "N", "at most N instances restarted at a time"));
    /** pm2's: the apps' listen_timeout from this restart or reload on (pm2 keeps it too). */
    static final Flag LISTEN_TIMEOUT = Flag.option(
            "--listen-timeout",
            AppOption.LISTEN_TIMEOUT.key,
            "ms",
            "how long each new instance may take to be ready, from now on (ms, or like 20s)");

    RestartingCommand(Syntax syntax, String address, String done) {
        super(syntax, address, done);
    }

    /** The verb for a list of ecosystem files. */
    abstract FileStartCommand forFiles();

    @Override
    public int run(List<String> words, Session session) throws IOException {
        List<String> spaced = StartRequests.spacedExitCodes(words);
        Args args = syntax().parse(spaced);
        return onlyFiles(args) ? restartFiles(spaced, args.positionals, session) : run(args, session);
    }

    @Override
    Map<String, Object> options(Args args) throws IOException {
        Map<String, Object> changes = StartOptions.changes(args);
        changes.remove("watch"); // restart's --watch switches watching (watch(args)), it sets no paths
        changes.remove(AppOption.LISTEN_TIMEOUT.key); // the request's own field (TargetActionCommand)
        changes.remove("host"); // restart's --host is the cluster host the targets run on, not start's balancer address
        String deep = System.getenv("PM2_DEEP_MONITORING");
        if (deep != null && !deep.isEmpty()) {
            // pm2's _handleAttributeUpdate: the variable in a restart's environment sets the option,
            // as it does at a start (AppConfigParser)
            changes.putIfAbsent("deep_monitoring", true);
        }
        return changes;
    }

    /** Every target is an ecosystem file (and --watch, which files do not take, is absent). */
    private static boolean onlyFiles(Args args) {
        return !args.positionals.isEmpty()
                && args.positionals.stream().allMatch(EcosystemFileKind::isEcosystemFile)
                && !args.has("watch");
    }

    private int restartFiles(List<String> words, List<String> files, Session session) throws IOException {
        List<String> flags = new ArrayList<>(words);
        flags.removeIf(w -> w.equals("--update-env") || w.equals("-a"));
        files.forEach(flags::remove);
        FileStartCommand start = forFiles();
        int status = 0;
        for (String file : files) {
            List<String> one = new ArrayList<>(flags);
            one.add(0, file);
            status = Math.max(status, start.run(one, session));
        }
        return status;
    }
}
