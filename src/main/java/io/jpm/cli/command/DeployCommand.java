package io.jpm.cli.command;

import io.jpm.cli.Command;
import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import io.jpm.deploy.Deploy;
import java.io.IOException;
import java.util.List;

/**
 * {@code jpm deploy [file] <environment> [command]}: pm2's deploy over ssh, all of it in
 * {@code io.jpm.deploy}, whose classes load only for this verb; it talks to no daemon. Its words go
 * to {@code Deploy} as typed: after {@code exec} they are the remote command's, flags included, so
 * they are not parsed here; the syntax below is the help and the flags it declares are the ones
 * {@code Deploy} reads.
 */
public final class DeployCommand implements Command {
    static final Syntax SYNTAX = Syntax.of("deploy")
            .operands(
                    "[ecosystem file] <env> [setup|update|revert [n]|curr|prev|list|exec <cmd>|ref <ref>]",
                    1,
                    Syntax.MANY)
            .summary("pm2's deploy over ssh from the file's deploy section, every host in parallel (docs/DEPLOY.md)")
            .note("setup: clone the repository onto every host (path/source, path/current, path/shared)")
            .note("update (the default): fetch, check out the ref, run post-deploy; ref <ref>: deploy that ref instead")
            .note(
                    "revert [n]: deploy again the commit n deploys back (default 1); curr, prev, list: the deployed commits")
            .note("exec <cmd>: run a command in path/current on every host")
            .note(
                    "no file: the first of ecosystem.json, .yml, .yaml, .config.js, .config.cjs, .config.mjs, .json5, package.json")
            .flag(Flag.toggle("--force|-f|-F", "force", "deploy even with uncommitted or unpushed changes here"));

    @Override
    public Syntax syntax() {
        return SYNTAX;
    }

    @Override
    public int run(List<String> words, Session session) throws IOException {
        return Deploy.run(words, session.out, System.err);
    }
}
