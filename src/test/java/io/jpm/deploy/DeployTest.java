package io.jpm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jpm deploy} as a whole without ssh: which file it reads, how bad input ends (one line on
 * stderr, exit 1, nothing on stdout: no host was touched), and a whole setup and update on
 * {@code localhost}, which pm2-deploy runs locally under bash.
 */
class DeployTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private Run deploy(Path cwd, String... words) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Deploy.run(
                List.of(words),
                cwd,
                Map.of("HOME", dir.toString(), "PATH", System.getenv("PATH")),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void refused(Run run, String expected) {
        assertEquals(1, run.exit(), run.toString());
        assertEquals("", run.out(), run.toString());
        assertEquals(1, run.err().lines().count(), run.toString());
        assertTrue(
                run.err().startsWith("jpm: ") && run.err().contains(expected), "expected '" + expected + "' in " + run);
    }

    private static String environment(String name, String host, String repo, String path) {
        return "{\"" + name + "\": {\"host\": \"" + host + "\", \"repo\": \"" + repo + "\", \"path\": \"" + path
                + "\", \"ref\": \"origin/main\"," + " \"post-deploy\": \"git rev-parse HEAD > ../shared/deployed\"}}";
    }

    @Test
    void theFileIsTheOneNamedElsePm2sDefaultNamesInOrder() throws IOException {
        refused(
                deploy(dir, "production"),
                "no ecosystem file in " + dir + " (looked for ecosystem.json, ecosystem.yml");
        refused(deploy(dir, "eco.json", "production"), "file not found: " + dir.resolve("eco.json"));
        Files.writeString(
                dir.resolve("package.json"),
                "{\"name\": \"app\", \"deploy\": " + environment("staging", "h", "r", "/p") + "}");
        refused(
                deploy(dir, "production"),
                "package.json: no environment 'production' in the deploy section; known: staging");
        Files.writeString(dir.resolve("ecosystem.yml"), "deploy:\n  production:\n    host: h\n");
        refused(deploy(dir, "production"), "ecosystem.yml: deploy.production: path is missing");
        Files.writeString(dir.resolve("ecosystem.json"), "{apps: [], deploy: {}}");
        refused(deploy(dir, "production"), "ecosystem.json has no deploy section");
    }

    @Test
    void helpAndBadCommandLines() {
        Run help = deploy(dir, "help");
        assertEquals(0, help.exit());
        assertTrue(
                help.out().startsWith("usage: jpm deploy [ecosystem file] <environment> [command] [--force]"),
                help.out());
        refused(deploy(dir), "name the environment to deploy to");
        refused(deploy(dir, "production", "rollback"), "unknown deploy command 'rollback'");
    }

    @Test
    void localhostIsSetUpAndDeployedWithoutSsh() throws IOException {
        Path repo = dir.resolve("repo.git");
        Path work = dir.resolve("work");
        git(dir, "init", "-q", "--bare", "-b", "main", repo.toString());
        git(dir, "clone", "-q", repo.toString(), work.toString());
        Path app = dir.resolve("srv/app");
        Files.writeString(
                work.resolve("ecosystem.json"),
                "{\"deploy\": " + environment("local", "localhost", repo.toString(), app.toString()) + "}");
        git(work, "add", "-A");
        git(work, "commit", "-q", "-m", "first");
        git(work, "push", "-q", "origin", "main");
        String head = git(work, "rev-parse", "HEAD");

        Run setup = deploy(work, "local", "setup");
        assertEquals(0, setup.exit(), setup.toString());
        assertTrue(setup.out().contains("localhost | ○ cloning " + repo), setup.out());
        Run update = deploy(work, "local");
        assertEquals(0, update.exit(), update.toString());
        assertEquals(head + "\n", Files.readString(app.resolve(".deploys")));
        assertEquals(head, Files.readString(app.resolve("shared/deployed")).strip());
        assertTrue(
                update.out().contains("localhost  ok      deployed " + head.substring(0, 7) + " (origin/main)"),
                update.out());

        // pm2's check that nothing local is left out of the deploy
        Files.writeString(work.resolve("ecosystem.json"), " ", StandardOpenOption.APPEND);
        refused(
                deploy(work, "local"),
                "uncommitted changes in " + work
                        + ": commit or stash them before deploying (or deploy anyway with --force)");
        git(work, "add", "-A");
        refused(deploy(work, "local"), "staged changes in " + work);
        git(work, "commit", "-q", "-m", "second");
        refused(deploy(work, "local"), "commits in " + work + " not pushed to their upstream");
        assertEquals(0, deploy(work, "local", "--force").exit());
        assertEquals(List.of(head, head), Files.readAllLines(app.resolve(".deploys")));
    }

    private static String git(Path cwd, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=jpm", "-c", "user.email=jpm@localhost"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return output.strip();
    }
}
