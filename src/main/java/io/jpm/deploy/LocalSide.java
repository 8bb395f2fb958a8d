package io.jpm.deploy;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a deploy does on this machine before any host: pm2-deploy's check that the folder it runs
 * in has nothing uncommitted or unpushed (hosts clone from the repository, so what is only here
 * would silently not be deployed), and the {@code pre-deploy-local} hook.
 */
final class LocalSide {
    private final Path cwd;

    LocalSide(Path cwd) {
        this.cwd = cwd;
    }

    /**
     * pm2-deploy's check_for_local_changes: unstaged changes, staged changes, commits not pushed to
     * the branch's upstream (none checked when the branch has no upstream, as in pm2). pm2 also
     * refuses outside a git work tree, with git's usage text; jpm says what is wrong.
     */
    void ensureCommittedAndPushed() {
        String force = " (or deploy anyway with --force)";
        if (git("rev-parse", "--is-inside-work-tree").exit != 0) {
            throw new DeployException(
                    cwd + " is not in a git work tree: deploy checks here that nothing is left uncommitted"
                            + " or unpushed, so run it from your clone of the repository" + force);
        }
        if (git("diff", "--quiet").exit != 0) {
            throw new DeployException(
                    "uncommitted changes in " + cwd + ": commit or stash them before deploying" + force);
        }
        if (git("diff", "--cached", "--quiet").exit != 0) {
            throw new DeployException("staged changes in " + cwd + ": commit them before deploying" + force);
        }
        Run unpushed = git("rev-list", "@{upstream}..", "-n", "1");
        if (unpushed.exit == 0 && !unpushed.output.isEmpty()) {
            throw new DeployException(
                    "commits in " + cwd + " not pushed to their upstream: push them before deploying" + force);
        }
    }

    /** pm2 runs pre-deploy-local once per host; jpm once, before the hosts, which run in parallel. */
    void preDeployLocal(String command, HostOutput out) {
        if (command == null || command.isBlank()) {
            return;
        }
        out.step("executing pre-deploy-local `" + command + "`");
        Run run = run(List.of("bash", "-c", command), out);
        if (run.exit != 0) {
            throw new DeployException("pre-deploy-local failed (exit " + run.exit + "): no host was touched");
        }
    }

    private record Run(int exit, List<String> output) {}

    private Run git(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "--no-pager"));
        command.addAll(List.of(args));
        return run(command, null);
    }

    /** Runs locally in cwd; its lines (stderr merged) go to {@code out}, or are kept when out is null. */
    private Run run(List<String> command, HostOutput out) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Process process = builder.start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (out == null) {
                        lines.add(line);
                    } else {
                        out.line(line);
                    }
                }
            }
            return new Run(process.waitFor(), lines);
        } catch (IOException e) {
            throw new DeployException("cannot run " + command.get(0) + " here: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted");
        }
    }
}
