package io.jpm.deploy;

import java.util.ArrayList;
import java.util.List;

/**
 * pm2's read-only deploy commands on one host, from its deploy log and its clone: {@code curr},
 * {@code prev}, {@code list}; and {@code exec}, a command run in current.
 */
final class HostQueries {
    private final HostShell shell;
    private final RemoteScripts scripts;
    private final DeployEnvironment env;

    HostQueries(HostShell shell, RemoteScripts scripts, DeployEnvironment env) {
        this.shell = shell;
        this.scripts = scripts;
        this.env = env;
    }

    /** The commits in {@code .deploys}, oldest first; each line's first word, as pm2's {@code cut -d ' ' -f 1} reads it. */
    List<String> deploys() {
        List<String> commits = new ArrayList<>();
        for (String line : shell.ok("history", scripts.history(), true).stdout()) {
            if (!line.isBlank()) {
                commits.add(line.strip().split("\\s+")[0]);
            }
        }
        return commits;
    }

    /** pm2's {@code curr}: the short commit checked out in source. */
    HostResult current() {
        HostShell.Result result = shell.run("curr", scripts.current(), true, null);
        if (result.exit() == RemoteScripts.NOT_SET_UP) {
            throw notSetUp("curr");
        }
        if (result.exit() != 0 || result.stdout().isEmpty()) {
            throw new StepFailed("curr", shell.failure(result));
        }
        String commit = result.stdout().get(0).strip();
        shell.output().line(commit);
        return HostResult.ok(shell.host(), commit);
    }

    /** pm2's {@code prev}: the commit deployed before the last one. */
    HostResult previous() {
        List<String> commits = deploys();
        if (commits.size() < 2) {
            // pm2 prints the only commit there is, which is the current one, or nothing
            throw new StepFailed("prev", "no previous deploy: " + recorded(commits.size()) + " in " + env.deploys());
        }
        String commit = commits.get(commits.size() - 2);
        shell.output().line(commit);
        return HostResult.ok(shell.host(), commit);
    }

    /** pm2's {@code list}: {@code <n>\t<commit>}, the newest first, numbered as {@code revert n} counts. */
    HostResult list() {
        List<String> commits = deploys();
        for (int i = commits.size() - 1; i >= 0; i--) {
            shell.output().line((commits.size() - 1 - i) + "\t" + commits.get(i));
        }
        return HostResult.ok(shell.host(), recorded(commits.size()));
    }

    /** pm2's {@code exec}: the command's output streams; its exit status decides. */
    HostResult exec(String command) {
        HostShell.Result result = shell.run("exec", scripts.exec(command), false, null);
        if (result.exit() == RemoteScripts.NOT_SET_UP) {
            throw notSetUp("exec");
        }
        if (result.exit() != 0) {
            throw new StepFailed("exec", shell.failure(result));
        }
        return HostResult.ok(shell.host(), "exit 0");
    }

    StepFailed notSetUp(String step) {
        return new StepFailed(step, "not set up: no clone at " + env.source() + " (deploy setup makes it)");
    }

    private static String recorded(int count) {
        return count == 0 ? "no deploy recorded" : count == 1 ? "1 deploy recorded" : count + " deploys recorded";
    }
}
