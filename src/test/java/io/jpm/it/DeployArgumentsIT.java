package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jpm deploy} never hands git or ssh a value that reads as an option. The host is
 * {@code localhost}, which pm2-deploy (and jpm) run with {@code bash -c} and no ssh, so the attack
 * is real without an ssh server: a repo of {@code --upload-pack=<cmd>} made {@code git ls-remote}
 * run {@code <cmd>} during setup. Refused now with one line naming the option, and nothing runs.
 */
@ExtendWith(JpmExtension.class)
class DeployArgumentsIT {
    @TempDir
    Path work;

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes());
        assertEquals(0, git.waitFor(), String.join(" ", command) + ": " + out);
    }

    /** A committed folder (deploy checks that nothing is left uncommitted) with one deploy environment. */
    private Path project(JsonObject production) throws IOException, InterruptedException {
        Files.writeString(
                work.resolve("ecosystem.json"),
                new JsonObject()
                        .put("deploy", new JsonObject().put("production", production))
                        .encode());
        git(work, "init", "-q");
        git(work, "add", "ecosystem.json");
        git(work, "commit", "-q", "-m", "deploy");
        return work;
    }

    private static void refused(Jpm.Result result, String expected) {
        assertEquals(1, result.exit(), result.toString());
        assertEquals(1, result.err().strip().lines().count(), "one line: " + result);
        assertTrue(result.err().startsWith("jpm: " + expected), "expected 'jpm: " + expected + "' in " + result);
        assertEquals("", result.out(), "no host touched: " + result);
    }

    @Test
    void aRepoThatGitWouldReadAsAnOptionRunsNothing(Jpm jpm) throws Exception {
        Path marker = work.resolve("pwned");
        Path dir = project(new JsonObject()
                .put("host", "localhost")
                .put("path", work.resolve("srv").toString())
                .put("ref", "origin/main")
                .put("repo", "--upload-pack=touch " + marker));
        refused(
                jpm.cliIn(dir, Map.of(), "deploy", "ecosystem.json", "production", "setup"),
                "ecosystem.json: deploy.production.repo must not start with '-' (git would read it as an option)");
        assertFalse(Files.exists(marker), "git ran the repo as --upload-pack");
        assertFalse(Files.exists(work.resolve("srv")), "nothing was set up");
    }

    @Test
    void aHostOrRefThatReadsAsAnOptionIsRefused(Jpm jpm) throws Exception {
        Path dir = project(new JsonObject()
                .put("host", List.of("localhost", "-oProxyCommand=touch " + work.resolve("pwned")))
                .put("path", work.resolve("srv").toString())
                .put("ref", "origin/main")
                .put("repo", work.toString()));
        refused(
                jpm.cliIn(dir, Map.of(), "deploy", "ecosystem.json", "production", "setup"),
                "ecosystem.json: deploy.production.host must not start with '-' (ssh would read it as an option)");
        // a ref given on the command line is named as that, before the file is read
        refused(
                jpm.cliIn(
                        dir,
                        Map.of(),
                        "deploy",
                        "ecosystem.json",
                        "production",
                        "ref",
                        "--upload-pack=touch " + work.resolve("pwned")),
                "deploy ref must not start with '-'");
        assertFalse(Files.exists(work.resolve("pwned")));
        assertFalse(Files.exists(work.resolve("srv")));
    }
}
