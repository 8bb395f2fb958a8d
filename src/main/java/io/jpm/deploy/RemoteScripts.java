package io.jpm.deploy;

import java.util.List;
import java.util.Map;

/**
 * The shell text jpm runs on a host, in one place: pm2-deploy's commands (its {@code deploy}
 * script) with every value quoted. The layout is pm2's, so a host set up by pm2 is updated by jpm
 * and back: {@code <path>/source} (the clone), {@code <path>/current} (a link to source, where hooks
 * run), {@code <path>/shared/{logs,pids}}, and {@code <path>/.deploys} (each deployed commit, a
 * line, the newest last). Plain POSIX shell, so any login shell of the sh family runs it. A value
 * git could read as an option is passed after {@code --} where git takes it, and refused by
 * {@link DeployOptionsParser} when it starts with '-' (a ref or a commit, where git takes no
 * {@code --} before it).
 */
final class RemoteScripts {
    /** A step's exit status for "this host has no clone at path/source": not set up yet. */
    static final int NOT_SET_UP = 97;

    private final DeployEnvironment env;

    RemoteScripts(DeployEnvironment env) {
        this.env = env;
    }

    private String q(String text) {
        return Shell.quote(text);
    }

    private String depth() {
        return env.fastFetch() ? " --depth=5" : "";
    }

    /** Prints {@code set-up} when path/source is already a clone. */
    String setUpProbe() {
        return "if [ -e " + q(env.source() + "/.git") + " ]; then echo set-up; fi";
    }

    /** Exit 2 when the repository has no branch or tag the ref names (git ls-remote --exit-code). */
    String refProbe() {
        return "git ls-remote --exit-code --heads --tags -- " + q(env.repo()) + " " + q(env.branch());
    }

    /** pm2's setup: the folders, the clone of the ref's branch, the current link. */
    String cloneAndLink() {
        return "mkdir -p " + q(env.shared() + "/logs") + " " + q(env.shared() + "/pids") + " " + q(env.source())
                + " && git clone" + depth() + " --branch " + q(env.branch()) + " -- " + q(env.repo()) + " "
                + q(env.source())
                + " && ln -sfn " + q(env.source()) + " " + q(env.current());
    }

    /**
     * Fetches, then prints HEAD's commit and the commit {@code ref} names. A ref that names nothing
     * leaves only the first line and exit 1; a failed fetch prints neither.
     */
    String fetchAndResolve(String ref) {
        return guard(env.source() + "/.git") + "cd " + q(env.source()) + " && git fetch" + depth() + " --all --tags"
                + " && git rev-parse HEAD && git rev-parse --verify --quiet " + q(ref + "^{commit}");
    }

    /** pm2's {@code git reset --hard <ref>} (to the commit the ref resolved to), then the current link. */
    String checkOut(String commit) {
        return "cd " + q(env.source()) + " && git reset --hard " + q(commit) + " && ln -sfn " + q(env.source()) + " "
                + q(env.current());
    }

    /** Back to the commit that ran before a failed update. */
    String rollBack(String commit) {
        return "cd " + q(env.source()) + " && git reset --hard " + q(commit);
    }

    /** One line in pm2's deploy log, as its {@code echo `git rev-parse HEAD` >> .deploys} writes it. */
    String record(String commit) {
        return "echo " + q(commit) + " >> " + q(env.deploys());
    }

    /** The deploy log, or nothing when there is none yet. */
    String history() {
        return "if [ -f " + q(env.deploys()) + " ]; then cat " + q(env.deploys()) + "; fi";
    }

    /** pm2's {@code curr}: the short commit source has checked out. */
    String current() {
        return guard(env.source() + "/.git") + "cd " + q(env.source()) + " && git rev-parse --short HEAD";
    }

    /**
     * A hook ({@code post-setup}, {@code pre-deploy}, {@code post-deploy}) as pm2 runs it: in
     * current, with SHARED set to the shared folder (pm2 sets it for the hook's first command only;
     * here the whole hook sees it), and {@code exports} (the env option, for post-deploy).
     */
    String hook(String command, Map<String, String> exports) {
        StringBuilder script =
                new StringBuilder("cd " + q(env.current()) + " || exit 1\nexport SHARED=" + q(env.shared()) + "\n");
        exports.forEach((name, value) -> script.append("export ")
                .append(name)
                .append('=')
                .append(q(value))
                .append('\n'));
        return script.append(command).toString();
    }

    /** pm2's {@code exec}: the command in current. */
    String exec(String command) {
        return guard(env.current()) + "cd " + q(env.current()) + " || exit 1\n" + command;
    }

    /** {@code bash -s} reading a local pre-setup script from stdin, with the words after its name as arguments. */
    String script(List<String> arguments) {
        StringBuilder script = new StringBuilder("bash -s --");
        arguments.forEach(a -> script.append(' ').append(q(a)));
        return script.toString();
    }

    private String guard(String mustExist) {
        return "[ -e " + q(mustExist) + " ] || exit " + NOT_SET_UP + "\n";
    }
}
