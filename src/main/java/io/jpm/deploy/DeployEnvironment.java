package io.jpm.deploy;

import java.util.List;
import java.util.Map;

/**
 * One environment of an ecosystem file's {@code deploy} section ({@code deploy.production}),
 * validated whole: pm2's options with pm2's meaning. Built by {@link DeployOptionsParser}.
 *
 * Built once, by {@code DeployOptionsParser} from named reads: no builder (RecordShapeTest lists it).
 *
 * @param name the environment's name, as typed after the file
 * @param user the ssh user, or null for ssh's own default
 * @param hosts every host, each deployed in parallel; {@code localhost} runs locally, without ssh, as in pm2
 * @param port the ssh port, or null for ssh's default
 * @param key an identity file ({@code ssh -i}), {@code ~} expanded, or null
 * @param sshOptions each one passed as {@code -o <option>}
 * @param ref what is deployed: {@code origin/main}, a tag, a commit
 * @param repo the git repository each host clones
 * @param path the absolute folder on each host holding {@code source/}, {@code current},
 *     {@code shared/} and {@code .deploys}
 * @param fastFetch pm2's {@code fetch: "fast"}: clone and fetch with {@code --depth=5}
 * @param forwardAgent pm2's {@code forward-agent}: {@code ssh -A}
 * @param needsTty pm2's {@code needs_tty}: a terminal on the host ({@code ssh -tt}), for a sudo with requiretty
 * @param env exported for {@code post-deploy}, names upper-cased as pm2 does
 */
record DeployEnvironment(
        String name,
        String user,
        List<String> hosts,
        Integer port,
        String key,
        List<String> sshOptions,
        String ref,
        String repo,
        String path,
        boolean fastFetch,
        boolean forwardAgent,
        boolean needsTty,
        Hooks hooks,
        Map<String, String> env) {

    /** The shell commands pm2 runs around a setup and a deploy; null when not set. */
    record Hooks(String preSetup, String postSetup, String preDeployLocal, String preDeploy, String postDeploy) {}

    /** The branch {@code git clone --branch} takes for the ref, as pm2 computes it: what follows the first {@code /}. */
    String branch() {
        int slash = ref.indexOf('/');
        return slash < 0 ? ref : ref.substring(slash + 1);
    }

    String source() {
        return path + "/source";
    }

    String current() {
        return path + "/current";
    }

    String shared() {
        return path + "/shared";
    }

    /** pm2's deploy log: one commit a line, the newest last. */
    String deploys() {
        return path + "/.deploys";
    }
}
