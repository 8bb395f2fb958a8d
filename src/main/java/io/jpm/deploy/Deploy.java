package io.jpm.deploy;

import io.jpm.config.EcosystemFile;
import io.jpm.deploy.DeployCommandLine.Action;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.ProcessEnd;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code jpm deploy}: pm2's deploy over the system's ssh and the hosts' git, from the
 * {@code deploy} section of an ecosystem file (docs/DEPLOY.md). Everything is checked before any
 * host is touched (the command line, the file, the environment's options, the local clone); then
 * every host runs in parallel, each line prefixed with its host, and a summary table ends the run.
 * Exit status 1 when the input is bad or any host failed, as pm2's.
 */
public final class Deploy {
    /** pm2's default file names, in pm2's order (Common.getConfigFileCandidates, then json5 and package.json). */
    static final List<String> DEFAULT_FILES = List.of(
            "ecosystem.json",
            "ecosystem.yml",
            "ecosystem.yaml",
            "ecosystem.config.js",
            "ecosystem.config.cjs",
            "ecosystem.config.mjs",
            "ecosystem.json5",
            "package.json");

    static final String HELP = String.join(
            "\n",
            "usage: jpm deploy [ecosystem file] <environment> [command] [--force]",
            "  setup            clone the repository onto every host (path/source, path/current, path/shared)",
            "  update           (the default) fetch, check out the ref, run post-deploy",
            "  ref <ref>        deploy that ref instead of the configured one",
            "  revert [n]       deploy again the commit n deploys back (default 1)",
            "  curr | prev      the commit deployed now, the one before it",
            "  list             the deployed commits, newest first",
            "  exec <cmd>       run a command in path/current on every host",
            "  --force          deploy even with uncommitted or unpushed changes here",
            "With no file, the first of " + String.join(", ", DEFAULT_FILES) + " in this folder. See docs/DEPLOY.md.",
            "");

    private Deploy() {}

    /** Runs {@code jpm deploy <words>} in the current folder; returns the exit status. */
    public static int run(List<String> words, PrintStream out, PrintStream err) {
        return run(words, Path.of(System.getProperty("user.dir")), System.getenv(), out, err);
    }

    static int run(List<String> words, Path cwd, Map<String, String> env, PrintStream out, PrintStream err) {
        List<HostResult> results;
        DeployCommandLine line;
        try {
            line = DeployCommandLine.parse(words);
            if (line.action() == Action.HELP) {
                out.print(HELP);
                return 0;
            }
            Path file = ecosystemFile(line.file(), cwd);
            String fileLabel =
                    line.file() != null ? line.file() : file.getFileName().toString();
            Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
            DeployEnvironment environment = DeployOptionsParser.parse(
                    fileLabel, EcosystemFile.section(file, "deploy", env), line.environment(), home);
            LocalSide local = new LocalSide(cwd);
            if (line.action() == Action.UPDATE && !line.force()) {
                local.ensureCommittedAndPushed();
            }
            out.println("--> " + environment.name() + ": " + describe(line, environment) + " on "
                    + String.join(", ", environment.hosts()));
            if (line.action() == Action.UPDATE || line.action() == Action.REVERT) {
                local.preDeployLocal(
                        environment.hooks().preDeployLocal(), new HostOutput(out, "local", width(environment)));
            }
            results = everyHost(environment, line, cwd, out);
        } catch (DeployException | JpmException e) {
            err.println("jpm: " + e.getMessage());
            return ProcessEnd.Code.FAILURE.status;
        }
        Summary.print(out, results);
        List<String> failed = results.stream()
                .filter(r -> !r.succeeded())
                .map(r -> r.host() + " (" + r.step() + ")")
                .toList();
        if (!failed.isEmpty()) {
            err.println("jpm: deploy " + line.action().word() + " failed on " + failed.size() + " of " + results.size()
                    + " host(s): " + String.join(", ", failed));
            return ProcessEnd.Code.FAILURE.status;
        }
        return 0;
    }

    /** The file named, else the first of pm2's default names in {@code cwd}. */
    private static Path ecosystemFile(String named, Path cwd) {
        if (named != null) {
            Path file = cwd.resolve(named);
            if (!Files.isRegularFile(file)) {
                throw new DeployException("file not found: " + file);
            }
            return file;
        }
        for (String name : DEFAULT_FILES) {
            if (Files.isRegularFile(cwd.resolve(name))) {
                return cwd.resolve(name);
            }
        }
        throw new DeployException("no ecosystem file in " + cwd + " (looked for " + String.join(", ", DEFAULT_FILES)
                + "): name it, jpm deploy <file> <environment>");
    }

    private static String describe(DeployCommandLine line, DeployEnvironment env) {
        return switch (line.action()) {
            case UPDATE -> "deploying " + (line.argument() == null ? env.ref() : line.argument());
            case REVERT -> "reverting " + line.argument() + " deploy(s)";
            case EXEC -> "exec `" + line.argument() + "`";
            default -> line.action().word();
        };
    }

    private static int width(DeployEnvironment env) {
        return Math.max(
                "local".length(),
                env.hosts().stream().mapToInt(String::length).max().orElse(0));
    }

    /** One thread per host: a slow or unreachable host holds up no other. */
    private static List<HostResult> everyHost(
            DeployEnvironment env, DeployCommandLine line, Path cwd, PrintStream out) {
        ExecutorService pool = Executors.newFixedThreadPool(env.hosts().size(), task -> {
            Thread thread = new Thread(task, "deploy-host");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<HostResult>> running = new ArrayList<>();
            for (String host : env.hosts()) {
                running.add(pool.submit(() -> oneHost(env, line, cwd, new HostOutput(out, host, width(env)), host)));
            }
            List<HostResult> results = new ArrayList<>();
            for (int i = 0; i < running.size(); i++) {
                try {
                    results.add(running.get(i).get());
                } catch (ExecutionException e) {
                    results.add(new HostResult(env.hosts().get(i), "internal", String.valueOf(e.getCause())));
                }
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    private static HostResult oneHost(
            DeployEnvironment env, DeployCommandLine line, Path cwd, HostOutput out, String host) {
        HostShell shell = new HostShell(env, host, out);
        RemoteScripts scripts = new RemoteScripts(env);
        HostQueries queries = new HostQueries(shell, scripts, env);
        HostRelease release = new HostRelease(shell, scripts, env, cwd);
        try {
            return switch (line.action()) {
                case SETUP -> release.setup();
                case UPDATE -> release.update(line.argument() == null ? env.ref() : line.argument());
                case REVERT -> release.revert(Integer.parseInt(line.argument()));
                case CURR -> queries.current();
                case PREV -> queries.previous();
                case LIST -> queries.list();
                case EXEC -> queries.exec(line.argument());
                case HELP -> throw new IllegalStateException("help runs no host");
            };
        } catch (StepFailed failed) {
            out.line("✗ " + failed.step + " failed: " + failed.getMessage());
            return new HostResult(host, failed.step, failed.getMessage());
        }
    }
}
