package io.jpm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pm2's deploy options with pm2's meaning and defaults; every bad one refused naming file, environment and option. */
class DeployOptionsParserTest {
    @TempDir
    Path home;

    private static Map<String, Object> minimal() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("host", "web1.example");
        options.put("repo", "git@git.example:me/app.git");
        options.put("path", "/var/www/app");
        options.put("ref", "origin/main");
        return options;
    }

    private DeployEnvironment parse(Map<String, Object> options) {
        return DeployOptionsParser.parse(
                "ecosystem.json", Map.of("production", options, "staging", minimal()), "production", home);
    }

    private String refused(Map<String, Object> options) {
        String message =
                assertThrows(DeployException.class, () -> parse(options)).getMessage();
        assertEquals(1, message.lines().count(), message);
        return message;
    }

    private String refusedWith(String option, Object value) {
        Map<String, Object> options = minimal();
        if (value == null) {
            options.remove(option);
        } else {
            options.put(option, value);
        }
        return refused(options);
    }

    @Test
    void pm2sDefaults() {
        DeployEnvironment env = parse(minimal());
        assertEquals(List.of("web1.example"), env.hosts());
        assertNull(env.user());
        assertNull(env.port());
        assertNull(env.key());
        assertEquals(List.of(), env.sshOptions());
        assertFalse(env.fastFetch());
        assertEquals("main", env.branch());
        assertEquals("/var/www/app/source", env.source());
        assertEquals("/var/www/app/.deploys", env.deploys());
        // pm2's default post-deploy is `pm2 startOrRestart <file> --env <env>`
        assertEquals(
                "jpm startOrRestart ecosystem.json --env production",
                env.hooks().postDeploy());
        assertNull(env.hooks().preDeploy());
    }

    @Test
    void everyOption() throws IOException {
        Path key = Files.createDirectories(home.resolve(".ssh")).resolve("deploy_key");
        Files.writeString(key, "k");
        Map<String, Object> options = minimal();
        options.put("user", "deploy");
        options.put("host", List.of("a.example", "b.example"));
        options.put("port", 2222);
        options.put("key", "~/.ssh/deploy_key");
        options.put("ssh_options", "StrictHostKeyChecking=no");
        options.put("fetch", "fast");
        options.put("forward-agent", "yes");
        options.put("needs_tty", false);
        options.put("pre-setup", "apt-get install -y git");
        options.put("post-setup", "ls");
        options.put("pre-deploy-local", "echo local");
        options.put("pre-deploy", "git checkout -- .");
        options.put("post-deploy", "npm ci && jpm reload ecosystem.config.js --env production");
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("node_env", "production");
        env.put("PORT", 3000.0);
        options.put("env", env);
        DeployEnvironment parsed = parse(options);
        assertEquals("deploy", parsed.user());
        assertEquals(List.of("a.example", "b.example"), parsed.hosts());
        assertEquals(2222, parsed.port());
        assertEquals(key.toString(), parsed.key());
        assertEquals(List.of("StrictHostKeyChecking=no"), parsed.sshOptions());
        assertTrue(parsed.fastFetch());
        assertTrue(parsed.forwardAgent());
        assertFalse(parsed.needsTty());
        assertEquals(
                "npm ci && jpm reload ecosystem.config.js --env production",
                parsed.hooks().postDeploy());
        // pm2-deploy upper-cases the names
        assertEquals(Map.of("NODE_ENV", "production", "PORT", "3000"), parsed.env());
        assertEquals(
                2222,
                parse(new HashMap<>(Map.of("host", "h", "repo", "r", "path", "/p", "ref", "v1", "port", "2222")))
                        .port());
        assertEquals(
                "v1",
                parse(new HashMap<>(Map.of("host", "h", "repo", "r", "path", "/p/", "ref", "v1")))
                        .branch());
        assertEquals(
                "/p",
                parse(new HashMap<>(Map.of("host", "h", "repo", "r", "path", "/p/", "ref", "v1")))
                        .path());
    }

    @Test
    void anUnknownEnvironmentListsTheKnownOnes() {
        String message = assertThrows(
                        DeployException.class,
                        () -> DeployOptionsParser.parse(
                                "ecosystem.json", Map.of("staging", minimal()), "production", home))
                .getMessage();
        assertEquals("ecosystem.json: no environment 'production' in the deploy section; known: staging", message);
        assertTrue(assertThrows(
                        DeployException.class, () -> DeployOptionsParser.parse("eco.yaml", null, "production", home))
                .getMessage()
                .startsWith("eco.yaml has no deploy section"));
        assertTrue(assertThrows(
                        DeployException.class,
                        () -> DeployOptionsParser.parse("eco.yaml", Map.of("production", "x"), "production", home))
                .getMessage()
                .contains("deploy.production must be an object of options, got 'x'"));
    }

    @Test
    void requiredOptions() {
        assertEquals(
                "ecosystem.json: deploy.production: repo is missing (the git repository each host clones)",
                refusedWith("repo", null));
        assertTrue(refusedWith("path", null).startsWith("ecosystem.json: deploy.production: path is missing"));
        assertTrue(refusedWith("host", null).startsWith("ecosystem.json: deploy.production: host is missing"));
        assertTrue(refusedWith("ref", null).startsWith("ecosystem.json: deploy.production: ref is missing"));
        assertTrue(refusedWith("repo", "  ").contains("repo is missing"));
    }

    @Test
    void wrongTypesAndValues() {
        assertEquals(
                "ecosystem.json: deploy.production.port must be a port number 1-65535, got 'ssh'",
                refusedWith("port", "ssh"));
        assertTrue(refusedWith("port", 70000).contains("got 70000"));
        assertEquals(
                "ecosystem.json: deploy.production.path must be an absolute path on the host, got 'www/app'",
                refusedWith("path", "www/app"));
        assertEquals("ecosystem.json: deploy.production.repo must be a string, got 42", refusedWith("repo", 42));
        assertTrue(refusedWith("host", List.of()).contains("host is an empty list"));
        assertTrue(refusedWith("host", List.of("a", 3))
                .contains("host must be a host name or a list of host names, got 3"));
        assertTrue(refusedWith("host", "a b").contains("got 'a b'"));
        assertTrue(refusedWith("host", List.of("a", "a")).contains("host names a twice"));
        assertTrue(refusedWith("user", "").contains("user must be a user name"));
        assertTrue(refusedWith("ssh_options", List.of("A=b", Map.of())).contains("ssh_options must be an ssh option"));
        assertTrue(refusedWith("fetch", "quick").contains("fetch must be \"fast\""));
        assertTrue(refusedWith("post-deploy", List.of("a", "b")).contains("post-deploy must be a string, got a list"));
        assertTrue(refusedWith("env", "NODE_ENV=production").contains("env must be an object of variables"));
        assertTrue(refusedWith("env", Map.of("A-B", "x")).contains("env: 'A-B' is not a variable name"));
        assertTrue(refusedWith("forward-agent", 1).contains("forward-agent must be true or false"));
        assertEquals(
                "ecosystem.json: deploy.production.key: no such file: " + home + "/.ssh/none",
                refusedWith("key", "~/.ssh/none"));
    }

    /** A value git or ssh would read as an option (git's --upload-pack=<cmd>, ssh's -oProxyCommand=<cmd>) runs nothing. */
    @Test
    void aValueStartingWithADashIsRefusedWithTheOptionNamed() {
        assertEquals(
                "ecosystem.json: deploy.production.repo must not start with '-' (git would read it as an option),"
                        + " got '--upload-pack=touch /tmp/pwned'",
                refusedWith("repo", "--upload-pack=touch /tmp/pwned"));
        assertTrue(refusedWith("ref", "--upload-pack=x")
                .startsWith("ecosystem.json: deploy.production.ref must not start with '-'"));
        // the branch git clone --branch and ls-remote get is what follows the first slash
        assertTrue(refusedWith("ref", "origin/--upload-pack=x")
                .startsWith("ecosystem.json: deploy.production.ref must not start with '-'"));
        assertTrue(
                refusedWith("host", "-oProxyCommand=touch /tmp/pwned")
                        .startsWith(
                                "ecosystem.json: deploy.production.host must not start with '-' (ssh would read it as an option)"));
        assertTrue(refusedWith("host", List.of("web1", "-oProxyCommand=x"))
                .contains("deploy.production.host must not start with '-'"));
        assertTrue(refusedWith("user", "-oProxyCommand=x")
                .startsWith("ecosystem.json: deploy.production.user must not start with '-'"));
        assertTrue(refusedWith("key", "-oProxyCommand=x")
                .startsWith("ecosystem.json: deploy.production.key must not start with '-'"));
        assertTrue(refusedWith("path", "-rf")
                .startsWith("ecosystem.json: deploy.production.path must not start with '-'"));
    }

    @Test
    void aMisspeltOptionIsRefusedNotIgnored() {
        // pm2 ignores post_deploy and runs its default post-deploy instead
        assertEquals(
                "ecosystem.json: deploy.production: unknown option 'post_deploy' (did you mean 'post-deploy'?)",
                refusedWith("post_deploy", "npm ci"));
        assertEquals("ecosystem.json: deploy.production: unknown option 'branch'", refusedWith("branch", "main"));
    }
}
