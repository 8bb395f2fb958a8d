package io.jpm.deploy;

import io.jpm.config.ShellWords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * pm2's commands that change a host: {@code setup}, an update to a ref, {@code revert n}. The
 * order is pm2-deploy's with two changes, so that a bad ref or a failed hook leaves the host as it
 * was: the ref is checked before anything moves (setup asks the repository, an update fetches and
 * resolves it before its pre-deploy hook), and a failed post-deploy puts source back at the commit
 * that ran before, recording nothing. pm2 resets first and records the commit before post-deploy.
 */
final class HostRelease {
    private final HostShell shell;
    private final RemoteScripts scripts;
    private final DeployEnvironment env;
    private final HostOutput out;
    /** Where a pre-setup naming a local script finds it: the folder jpm runs in, as pm2's. */
    private final Path cwd;

    HostRelease(HostShell shell, RemoteScripts scripts, DeployEnvironment env, Path cwd) {
        this.shell = shell;
        this.scripts = scripts;
        this.env = env;
        this.out = shell.output();
        this.cwd = cwd;
    }

    HostResult setup() {
        out.step("running setup");
        if (shell.ok("check", scripts.setUpProbe(), true).stdout().contains("set-up")) {
            // pm2 fails at git clone into the existing folder; jpm says so before pre-setup runs
            throw new StepFailed(
                    "check",
                    "already set up: " + env.source() + " is a clone (update it with deploy, or remove " + env.path()
                            + " to start again)");
        }
        preSetup();
        out.step("checking " + env.ref() + " in " + env.repo());
        HostShell.Result ref = shell.run("check ref", scripts.refProbe(), true, null);
        if (ref.exit() == 2) {
            throw new StepFailed(
                    "check ref",
                    "ref '" + env.ref() + "': no branch or tag '" + env.branch() + "' in " + env.repo()
                            + " (nothing changed)");
        }
        if (ref.exit() != 0) {
            throw new StepFailed("check ref", "cannot read " + env.repo() + ": " + shell.failure(ref));
        }
        out.step("cloning " + env.repo());
        shell.ok("clone", scripts.cloneAndLink(), false);
        hook("post-setup", env.hooks().postSetup(), Map.of());
        out.step("setup complete");
        return HostResult.ok(shell.host(), "set up " + env.path() + " at " + env.ref());
    }

    /** Deploys {@code ref} (the configured one, the one named by {@code ref <ref>}, or a commit to revert to). */
    HostResult update(String ref) {
        out.step("deploying " + ref);
        out.step("fetching updates");
        HostShell.Result fetched = shell.run("fetch", scripts.fetchAndResolve(ref), true, null);
        if (fetched.exit() == RemoteScripts.NOT_SET_UP) {
            throw new HostQueries(shell, scripts, env).notSetUp("fetch");
        }
        if (fetched.exit() != 0 && fetched.stdout().size() == 1) {
            throw new StepFailed(
                    "fetch",
                    "ref '" + ref + "' names no commit after git fetch in " + env.source() + " (nothing changed)");
        }
        if (fetched.exit() != 0 || fetched.stdout().size() != 2) {
            throw new StepFailed("fetch", shell.failure(fetched));
        }
        String before = fetched.stdout().get(0).strip();
        String target = fetched.stdout().get(1).strip();
        hook("pre-deploy", env.hooks().preDeploy(), Map.of());
        out.step("resetting HEAD to " + ref);
        try {
            shell.ok("check out", scripts.checkOut(target), false);
            hook("post-deploy", env.hooks().postDeploy(), env.env());
        } catch (StepFailed failed) {
            throw rolledBack(failed, before, target);
        }
        shell.ok("record", scripts.record(target), false);
        out.step("successfully deployed " + ref);
        return HostResult.ok(
                shell.host(), "deployed " + shortCommit(target) + (ref.equals(target) ? "" : " (" + ref + ")"));
    }

    /** pm2's {@code revert n}: deploys the commit n lines above the last one in {@code .deploys}. */
    HostResult revert(int n) {
        List<String> commits = new HostQueries(shell, scripts, env).deploys();
        if (commits.size() <= n) {
            // pm2 then deploys the oldest commit, or the current one again
            throw new StepFailed(
                    "history",
                    "cannot revert " + n + ": " + commits.size() + " deploy(s) recorded in " + env.deploys()
                            + " (revert " + n + " needs " + (n + 1) + ")");
        }
        out.step("reverting " + n + " deploy(s)");
        return update(commits.get(commits.size() - 1 - n));
    }

    private StepFailed rolledBack(StepFailed failed, String before, String target) {
        if (before.equals(target)) {
            return failed;
        }
        out.step("rolling back to " + shortCommit(before));
        HostShell.Result back = shell.run("roll back", scripts.rollBack(before), false, null);
        if (back.exit() != 0) {
            return new StepFailed(
                    failed.step,
                    failed.getMessage() + "; rolling back to " + shortCommit(before) + " failed too: "
                            + shell.failure(back));
        }
        return new StepFailed(
                failed.step,
                failed.getMessage() + "; source is back at " + shortCommit(before) + ", the last good release");
    }

    /**
     * pm2's pre-setup: a command run on the host in the user's home, or, when its first word names a
     * local file, that script sent to the host's {@code bash -s} with the other words as arguments.
     */
    private void preSetup() {
        String command = env.hooks().preSetup();
        if (command == null || command.isBlank()) {
            return;
        }
        List<String> words = ShellWords.split(command);
        Path script = words.isEmpty() ? null : cwd.resolve(words.get(0));
        HostShell.Result result;
        if (script != null && Files.isRegularFile(script)) {
            out.step("executing pre-setup script `" + command + "`");
            result = shell.run("pre-setup", scripts.script(words.subList(1, words.size())), false, script);
        } else {
            out.step("executing pre-setup `" + command + "`");
            result = shell.run("pre-setup", command, false, null);
        }
        if (result.exit() != 0) {
            throw new StepFailed("pre-setup", shell.failure(result));
        }
    }

    private void hook(String name, String command, Map<String, String> exports) {
        if (command == null || command.isBlank()) {
            return;
        }
        out.step("executing " + name + " `" + command + "`");
        HostShell.Result result = shell.run(name, scripts.hook(command, exports), false, null);
        if (result.exit() != 0) {
            throw new StepFailed(name, shell.failure(result));
        }
    }

    static String shortCommit(String commit) {
        return commit.length() > 7 && commit.matches("[0-9a-f]+") ? commit.substring(0, 7) : commit;
    }
}
