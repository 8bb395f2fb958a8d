package io.jpm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** pm2-deploy's remote commands, with every value quoted; and the ssh command line around them. */
class RemoteScriptsTest {
    private static DeployEnvironment env(String path, String ref, List<String> sshOptions, Integer port, String user) {
        return new DeployEnvironment(
                "production",
                user,
                List.of("web1"),
                port,
                null,
                sshOptions,
                ref,
                "/srv/repo.git",
                path,
                false,
                false,
                false,
                new DeployEnvironment.Hooks(null, null, null, null, "jpm reload all"),
                Map.of("NODE_ENV", "it's"));
    }

    @Test
    void pm2sLayoutAndCommandsQuoted() {
        RemoteScripts scripts = new RemoteScripts(env("/var/www/my app", "origin/main", List.of(), null, null));
        assertEquals(
                "mkdir -p '/var/www/my app/shared/logs' '/var/www/my app/shared/pids' '/var/www/my app/source'"
                        + " && git clone --branch 'main' -- '/srv/repo.git' '/var/www/my app/source'"
                        + " && ln -sfn '/var/www/my app/source' '/var/www/my app/current'",
                scripts.cloneAndLink());
        assertEquals("echo 'abc123' >> '/var/www/my app/.deploys'", scripts.record("abc123"));
        assertEquals(
                "cd '/var/www/my app/source' && git reset --hard 'abc123' && ln -sfn '/var/www/my app/source' '/var/www/my app/current'",
                scripts.checkOut("abc123"));
        assertEquals(
                "[ -e '/var/www/my app/source/.git' ] || exit 97\ncd '/var/www/my app/source' && git fetch --all --tags"
                        + " && git rev-parse HEAD && git rev-parse --verify --quiet 'origin/main^{commit}'",
                scripts.fetchAndResolve("origin/main"));
        // the repo after --, so git never reads it as an option (--upload-pack=<cmd> would run <cmd>)
        assertEquals("git ls-remote --exit-code --heads --tags -- '/srv/repo.git' 'main'", scripts.refProbe());
    }

    @Test
    void hooksRunInCurrentWithSharedAndTheEnvironment() {
        RemoteScripts scripts = new RemoteScripts(env("/app", "v1", List.of(), null, null));
        assertEquals(
                "cd '/app/current' || exit 1\nexport SHARED='/app/shared'\nexport NODE_ENV='it'\\''s'\njpm reload all",
                scripts.hook("jpm reload all", Map.of("NODE_ENV", "it's")));
        assertEquals("bash -s -- 'a b' 'c'", scripts.script(List.of("a b", "c")));
    }

    @Test
    void theSshCommandLineUserOptionsFirst() {
        DeployEnvironment env = env("/app", "v1", List.of("StrictHostKeyChecking no"), 2222, "deploy");
        List<String> command = new HostShell(env, "web1", new HostOutput(System.out, "web1", 4)).command("echo hi");
        assertEquals(
                List.of(
                        "ssh",
                        "-o",
                        "StrictHostKeyChecking no",
                        "-o",
                        "BatchMode=yes",
                        "-o",
                        "ConnectTimeout=15",
                        "-p",
                        "2222",
                        "--",
                        "deploy@web1",
                        "echo hi"),
                command);
        // pm2-deploy runs localhost's commands locally, without ssh
        assertEquals(List.of("bash", "-c", "echo hi"), new HostShell(env, "localhost", null).command("echo hi"));
        assertTrue(Shell.word("ecosystem.config.js").equals("ecosystem.config.js")
                && Shell.word("my eco.json").equals("'my eco.json'"));
    }
}
