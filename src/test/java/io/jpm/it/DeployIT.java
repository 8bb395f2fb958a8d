package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code jpm deploy} against real OpenSSH servers on loopback ({@link Sshd}): 127.0.0.1 and
 * 127.0.0.2 take the test's key (127.0.0.2 sees its own folder at the deploy path, as a second
 * machine would), 127.0.0.4 refuses it, nothing listens on 127.0.0.5. The repository is a bare
 * one the test makes; the "local" folder a user deploys from is a clean clone of it ({@link
 * DeployWorld}). On the hosts, {@code jpm} is the jar under test with the extension's JPM_HOME, so
 * the app a post-deploy starts runs under the test's daemon, killed after the class.
 */
@ExtendWith(JpmExtension.class)
class DeployIT {
    private static DeployWorld world;

    @BeforeAll
    static void hosts(Jpm remote) throws IOException {
        world = DeployWorld.create(remote.home);
    }

    @AfterAll
    static void stopHosts() {
        if (world != null) {
            world.close();
        }
    }

    private static Jpm.Result deploy(Jpm jpm, String... words) {
        return deployIn(jpm, world.work, words);
    }

    private static Jpm.Result deployIn(Jpm jpm, Path dir, String... words) {
        String[] args = new String[words.length + 1];
        args[0] = "deploy";
        System.arraycopy(words, 0, args, 1, words.length);
        return jpm.cliIn(dir, Map.of(), args);
    }

    private static Jpm.Result ok(Jpm.Result result) {
        assertEquals(0, result.exit(), result.toString());
        return result;
    }

    /** Bad input: exit 1, one line on stderr naming the problem, and no host touched (no step printed). */
    private static void refused(Jpm.Result result, String expected) {
        assertEquals(1, result.exit(), result.toString());
        assertEquals(1, result.err().strip().lines().count(), "one line: " + result);
        assertTrue(
                result.err().startsWith("jpm: ") && result.err().contains(expected),
                "expected '" + expected + "' in " + result);
        assertEquals("", result.out(), "nothing ran: " + result);
    }

    private static String served() {
        try {
            HttpURLConnection http = (HttpURLConnection) URI.create("http://127.0.0.1:" + world.appPort + "/")
                    .toURL()
                    .openConnection();
            http.setConnectTimeout(1000);
            http.setReadTimeout(2000);
            try (var in = http.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return null;
        }
    }

    private static void awaitServed(String version) {
        Jpm.await("the app on the host to serve " + version, () -> version.equals(served()) ? true : null);
    }

    @Test
    void setupUpdatesServeTheNewCodeRevertGoesBackAndTheHistoryReadsAsPm2s(Jpm jpm) throws IOException {
        Path app = world.path("production");
        Jpm.Result setup = ok(deploy(jpm, "ecosystem.json", "production", "setup"));
        assertTrue(setup.out().contains("127.0.0.1 | ○ cloning " + world.repo), setup.toString());
        // pm2's layout: the clone, current linked to it, shared/logs and shared/pids, no deploy log yet
        assertTrue(Files.isDirectory(app.resolve("source/.git")));
        assertEquals(app.resolve("source"), Files.readSymbolicLink(app.resolve("current")));
        assertTrue(Files.isDirectory(app.resolve("shared/logs")) && Files.isDirectory(app.resolve("shared/pids")));
        assertFalse(Files.exists(app.resolve(".deploys")));

        String v1 = world.head("main");
        Jpm.Result first = ok(deploy(jpm, "ecosystem.json", "production"));
        for (String line : first.out().lines().filter(l -> l.contains("○")).toList()) {
            assertTrue(line.startsWith("127.0.0.1 | ○ "), "each line prefixed with its host: " + line);
        }
        assertTrue(first.out().contains("127.0.0.1  ok      deployed " + v1.substring(0, 7)), first.toString());
        awaitServed("v1");
        assertEquals(List.of(v1), world.deploys(app));

        String v2 = world.commit("main", "server.py", DeployWorld.server("v2"), "v2");
        ok(deploy(jpm, "production"));
        awaitServed("v2");
        assertEquals(List.of(v1, v2), world.deploys(app));

        assertTrue(ok(deploy(jpm, "production", "list"))
                .out()
                .contains("127.0.0.1 | 0\t" + v2 + "\n127.0.0.1 | 1\t" + v1 + "\n"));
        assertTrue(ok(deploy(jpm, "production", "curr")).out().contains("127.0.0.1 | " + v2.substring(0, 7) + "\n"));
        assertTrue(ok(deploy(jpm, "production", "prev")).out().contains("127.0.0.1 | " + v1 + "\n"));

        ok(deploy(jpm, "production", "revert", "1"));
        awaitServed("v1");
        // pm2's revert deploys the older commit again and records it
        assertEquals(List.of(v1, v2, v1), world.deploys(app));
        assertTrue(ok(deploy(jpm, "production", "exec", "git rev-parse HEAD"))
                .out()
                .contains("127.0.0.1 | " + v1 + "\n"));

        Jpm.Result again = deploy(jpm, "production", "setup");
        assertEquals(1, again.exit(), again.toString());
        assertTrue(again.out().contains("already set up"), again.toString());
    }

    @Test
    void twoHostsAreDeployedInOneCommand(Jpm jpm) throws IOException {
        Jpm.Result setup = ok(deploy(jpm, "pair", "setup"));
        Jpm.Result update = ok(deploy(jpm, "pair"));
        String head = world.head("pair");
        for (Jpm.Result result : List.of(setup, update)) {
            assertTrue(
                    result.out().contains("127.0.0.1 | ○ ") && result.out().contains("127.0.0.2 | ○ "),
                    result.toString());
        }
        assertTrue(update.out().contains("127.0.0.1  ok      deployed " + head.substring(0, 7)), update.toString());
        assertTrue(update.out().contains("127.0.0.2  ok      deployed " + head.substring(0, 7)), update.toString());
        // each host has its own tree at the same path, deployed and recorded
        for (Path app : List.of(world.path("pair"), world.pathOnSecondHost("pair"))) {
            assertEquals(List.of(head), world.deploys(app), app.toString());
            assertEquals(head, Files.readString(app.resolve("shared/deployed")).strip(), app.toString());
        }
    }

    @Test
    void aHostThatRefusesFailsAloneAndTheOtherIsDeployed(Jpm jpm) throws IOException {
        Jpm.Result setup = deploy(jpm, "refusing", "setup");
        assertEquals(1, setup.exit(), setup.toString());
        assertTrue(setup.out().contains("127.0.0.1  ok"), setup.toString());
        assertTrue(
                setup.out().contains("127.0.0.4  failed  check: ssh: ")
                        && setup.out().contains("Permission denied"),
                setup.toString());
        assertTrue(setup.err().strip().endsWith("failed on 1 of 2 host(s): 127.0.0.4 (check)"), setup.toString());

        Jpm.Result update = deploy(jpm, "refusing");
        assertEquals(1, update.exit(), update.toString());
        assertEquals(List.of(world.head("refusing")), world.deploys(world.path("refusing")));
        assertTrue(update.out().contains("127.0.0.4  failed  fetch: ssh: "), update.toString());
    }

    @Test
    void aRefThatDoesNotExistChangesNothing(Jpm jpm) throws IOException {
        Path app = world.path("badref");
        ok(deploy(jpm, "badref", "setup"));
        ok(deploy(jpm, "badref"));
        List<String> deploys = world.deploys(app);
        String checkedOut = world.git(app.resolve("source"), "rev-parse", "HEAD");

        Jpm.Result update = deploy(jpm, "badref", "ref", "origin/no-such-branch");
        assertEquals(1, update.exit(), update.toString());
        assertTrue(update.out().contains("fetch: ref 'origin/no-such-branch' names no commit"), update.toString());
        assertTrue(update.err().contains("127.0.0.1 (fetch)"), update.toString());
        assertEquals(deploys, world.deploys(app));
        assertEquals(checkedOut, world.git(app.resolve("source"), "rev-parse", "HEAD"));
        assertEquals(app.resolve("source"), Files.readSymbolicLink(app.resolve("current")));

        // setup checks the ref before it makes anything
        Jpm.Result setup = deploy(jpm, "nobranch", "setup");
        assertEquals(1, setup.exit(), setup.toString());
        assertTrue(setup.out().contains("no branch or tag 'no-such-branch'"), setup.toString());
        assertFalse(Files.exists(world.path("nobranch")));
    }

    @Test
    void aFailedPostDeployLeavesTheLastGoodRelease(Jpm jpm) throws IOException {
        Path app = world.path("failing");
        ok(deploy(jpm, "failing", "setup"));
        ok(deploy(jpm, "failing"));
        String good = world.head("failing");
        world.commit("failing", "server.py", DeployWorld.server("v3") + "# BROKEN\n", "broken");

        Jpm.Result update = deploy(jpm, "failing");
        assertEquals(1, update.exit(), update.toString());
        assertTrue(
                update.out().contains("post-deploy: exit 3")
                        && update.out().contains("source is back at " + good.substring(0, 7)),
                update.toString());
        assertEquals(List.of(good), world.deploys(app));
        assertEquals(good, world.git(app.resolve("source"), "rev-parse", "HEAD"));
        assertFalse(Files.readString(app.resolve("current/server.py")).contains("BROKEN"));
        assertTrue(ok(deploy(jpm, "failing", "curr")).out().contains("127.0.0.1 | " + good.substring(0, 7)));
    }

    @Test
    void badInputIsOneLineAndTouchesNoHost(Jpm jpm) throws IOException {
        refused(
                deploy(jpm, "ecosystem.json", "prod"),
                "ecosystem.json: no environment 'prod' in the deploy section; known: production, pair,");
        refused(deploy(jpm, "production", "updat"), "unknown deploy command 'updat'");
        refused(deploy(jpm, "production", "revert", "two"), "revert expects how many deploys back");
        Path bad = world.badInputFolder();
        refused(
                deployIn(jpm, bad, "missing-repo.json", "production"),
                "missing-repo.json: deploy.production: repo is missing");
        refused(
                deployIn(jpm, bad, "relative.json", "production"),
                "relative.json: deploy.production.path must be an absolute path on the host");
        refused(
                deployIn(jpm, bad, "port.json", "production"),
                "port.json: deploy.production.port must be a port number 1-65535, got 'ssh'");
        refused(deployIn(jpm, bad, "no-such.json", "production"), "file not found: ");
        refused(deployIn(jpm, bad, "production"), "no ecosystem file in " + bad);
        // a clean clone is required to deploy (what is only local would silently not be deployed)
        Files.copy(world.work.resolve("ecosystem.json"), bad.resolve("copy.json"));
        refused(deployIn(jpm, bad, "copy.json", "production"), "is not in a git work tree");
        Files.writeString(world.work.resolve("server.py"), "# edited\n", StandardOpenOption.APPEND);
        try {
            refused(deploy(jpm, "production"), "uncommitted changes in " + world.work);
        } finally {
            world.git(world.work, "checkout", "--", "server.py");
        }
    }

    @Test
    void anUnreachableHostIsNamedWithSshsMessage(Jpm jpm) {
        Jpm.Result result = deploy(jpm, "unreachable", "setup");
        assertEquals(1, result.exit(), result.toString());
        assertTrue(
                result.out()
                        .contains("127.0.0.5  failed  check: ssh: connect to host 127.0.0.5 port " + world.sshPort
                                + ": Connection refused"),
                result.toString());
        assertTrue(result.err().strip().endsWith("failed on 1 of 1 host(s): 127.0.0.5 (check)"), result.toString());
        assertTrue(
                jpm.cli("deploy", "--help").out().contains("deploy [ecosystem file] <env> [setup|update|revert [n]"));
    }

    /**
     * A host set up by pm2 is updated by jpm and back, and both read the same history; a setup by
     * either makes the same tree. Runs with PM2_DIFF=1 (pm2 from PM2_BIN or PATH), as the other
     * comparisons with pm2 do.
     */
    @Test
    void pm2AndJpmShareTheLayoutAndTheHistory(Jpm jpm) throws IOException {
        assumeTrue("1".equals(System.getenv("PM2_DIFF")), "PM2_DIFF=1 runs the comparisons with pm2");
        try (Pm2Deploy pm2 = new Pm2Deploy(world)) {
            Path app = world.path("shared");
            pm2.ok("shared", "setup");
            pm2.ok("shared");
            String c1 = world.head("shared");
            String c2 = world.commit("shared", "server.py", DeployWorld.server("v2"), "v2 by jpm");
            ok(deploy(jpm, "shared"));
            assertEquals(List.of(c1, c2), world.deploys(app));
            assertTrue(pm2.ok("shared", "list").contains("0\t" + c2 + "\n1\t" + c1 + "\n"));
            assertTrue(pm2.ok("shared", "curr").contains(c2.substring(0, 7)));
            pm2.ok("shared", "revert", "1");
            assertEquals(List.of(c1, c2, c1), world.deploys(app));
            assertEquals(c1, Files.readString(app.resolve("shared/deployed")).strip());
            assertTrue(ok(deploy(jpm, "shared", "curr")).out().contains("127.0.0.1 | " + c1.substring(0, 7)));
            ok(deploy(jpm, "shared", "revert", "1"));
            assertEquals(List.of(c1, c2, c1, c2), world.deploys(app));

            pm2.ok("tree-pm2", "setup");
            ok(deploy(jpm, "tree-jpm", "setup"));
            assertEquals(world.tree(world.path("tree-pm2")), world.tree(world.path("tree-jpm")));
        }
    }
}
