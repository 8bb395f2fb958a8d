package io.jpm.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the deploy tests deploy with: three sshd "hosts" ({@link Sshd}), a bare repository, a
 * developer's clone that pushes new commits to it, the clean clone a user deploys from (its
 * ecosystem.json has one environment per test, each on its own branch and path), and the
 * {@code jpm} the hosts run. Each environment deploys a tiny Python HTTP server that answers its
 * version.
 */
final class DeployWorld implements AutoCloseable {
    private static final List<String> SSH_OPTIONS =
            List.of("StrictHostKeyChecking=no", "UserKnownHostsFile=/dev/null", "LogLevel=ERROR");
    /** Records the deployed commit in shared/: a path relative to current, so pm2's hooks read it the same. */
    private static final String RECORD = "git rev-parse HEAD > ../shared/deployed";

    final Path root;
    final Path repo;
    final Path work;
    final int appPort;
    final int sshPort;
    private final Path dev;
    private final Path srv;
    private final Path srvOfSecondHost;
    private final List<Sshd> hosts;

    private DeployWorld(Path root, List<Sshd> hosts, int appPort) {
        this.root = root;
        this.repo = root.resolve("repo.git");
        this.work = root.resolve("work");
        this.dev = root.resolve("dev");
        this.srv = root.resolve("srv");
        this.srvOfSecondHost = root.resolve("srv-b");
        this.hosts = hosts;
        this.appPort = appPort;
        this.sshPort = hosts.get(0).port;
    }

    static DeployWorld create(Path remoteJpmHome) throws IOException {
        Path root = Files.createTempDirectory("deploy-it-");
        Sshd.run(
                root,
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-f",
                root.resolve("id").toString());
        Files.copy(root.resolve("id.pub"), root.resolve("authorized_keys"));
        Files.writeString(root.resolve("no_keys"), "");
        // jpm on the hosts' PATH: the jar under test; its daemon's home is the test's
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.writeString(
                bin.resolve("jpm"),
                "#!/bin/sh\nexec '" + Jpm.JAVA + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '" + Jpm.JAR
                        + "' io.jpm.cli.Main \"$@\"\n");
        bin.resolve("jpm").toFile().setExecutable(true);
        Map<String, String> session =
                Map.of("PATH", bin + ":/usr/local/bin:/usr/bin:/bin", "JPM_HOME", remoteJpmHome.toString());
        Path srv = Files.createDirectories(root.resolve("srv"));
        Path srvB = Files.createDirectories(root.resolve("srv-b"));
        List<Sshd> hosts = Sshd.startAll(
                root,
                List.of(
                        new Sshd.Spec("127.0.0.1", root.resolve("authorized_keys"), session, null, null),
                        new Sshd.Spec("127.0.0.2", root.resolve("authorized_keys"), session, srvB, srv),
                        new Sshd.Spec("127.0.0.4", root.resolve("no_keys"), session, null, null)));
        DeployWorld world = new DeployWorld(root, hosts, Ports.free());
        try {
            world.makeRepository();
        } catch (IOException | RuntimeException | Error e) {
            world.close();
            throw e;
        }
        return world;
    }

    static String server(String version) {
        return String.join(
                "\n",
                "import http.server, os",
                "VERSION = '" + version + "'",
                "class Handler(http.server.BaseHTTPRequestHandler):",
                "    def do_GET(self):",
                "        body = VERSION.encode()",
                "        self.send_response(200)",
                "        self.send_header('Content-Length', str(len(body)))",
                "        self.end_headers()",
                "        self.wfile.write(body)",
                "    def log_message(self, *args):",
                "        pass",
                "http.server.HTTPServer(('127.0.0.1', int(os.environ['PORT'])), Handler).serve_forever()",
                "");
    }

    private void makeRepository() throws IOException {
        git(root, "init", "-q", "--bare", "-b", "main", repo.toString());
        git(root, "clone", "-q", repo.toString(), dev.toString());
        Files.writeString(dev.resolve("server.py"), server("v1"));
        Files.writeString(dev.resolve("ecosystem.json"), ecosystem().encodePrettily());
        git(dev, "add", "-A");
        git(dev, "commit", "-q", "-m", "v1");
        git(
                dev,
                "push",
                "-q",
                "origin",
                "main",
                "main:pair",
                "main:refusing",
                "main:badref",
                "main:failing",
                "main:shared");
        git(root, "clone", "-q", repo.toString(), work.toString());
    }

    private JsonObject ecosystem() {
        JsonObject deploy = new JsonObject()
                .put(
                        "production",
                        environment("127.0.0.1", "main", "web")
                                .put("post-deploy", "jpm startOrReload ecosystem.json --env production"))
                .put("pair", environment(new JsonArray().add("127.0.0.1").add("127.0.0.2"), "pair", "pair"))
                .put("refusing", environment(new JsonArray().add("127.0.0.1").add("127.0.0.4"), "refusing", "refusing"))
                .put("badref", environment("127.0.0.1", "badref", "badref"))
                .put("nobranch", environment("127.0.0.1", "no-such-branch", "nobranch"))
                .put(
                        "failing",
                        environment("127.0.0.1", "failing", "failing")
                                .put("post-deploy", "grep -q BROKEN server.py && exit 3; " + RECORD))
                .put("unreachable", environment("127.0.0.5", "main", "unreachable"))
                .put("shared", environment("127.0.0.1", "shared", "shared"))
                .put("tree-pm2", environment("127.0.0.1", "main", "tree-pm2"))
                .put("tree-jpm", environment("127.0.0.1", "main", "tree-jpm"));
        JsonObject app = new JsonObject()
                .put("name", "web")
                .put("script", "server.py")
                .put("env_production", new JsonObject().put("PORT", String.valueOf(appPort)));
        return new JsonObject().put("apps", new JsonArray().add(app)).put("deploy", deploy);
    }

    private JsonObject environment(Object host, String branch, String folder) {
        // the port as a string: pm2-deploy ignores a number (and connects to 22)
        return new JsonObject()
                .put("user", System.getProperty("user.name"))
                .put("host", host)
                .put("port", String.valueOf(hosts.get(0).port))
                .put("key", root.resolve("id").toString())
                .put("ssh_options", new JsonArray(SSH_OPTIONS))
                .put("ref", "origin/" + branch)
                .put("repo", repo.toString())
                .put("path", srv.resolve(folder).toString())
                .put("post-deploy", RECORD);
    }

    /** An environment's path on the first host (and every host but the second). */
    Path path(String environment) {
        return srv.resolve(environment.equals("production") ? "web" : environment);
    }

    /** The same path as the second host sees it. */
    Path pathOnSecondHost(String environment) {
        return srvOfSecondHost.resolve(environment);
    }

    /** A folder outside any git work tree, with ecosystem files that do not validate. */
    Path badInputFolder() throws IOException {
        Path bad = Files.createDirectories(root.resolve("bad"));
        JsonObject good = environment("127.0.0.1", "main", "never");
        JsonObject missingRepo = good.copy();
        missingRepo.remove("repo");
        Files.writeString(
                bad.resolve("missing-repo.json"),
                new JsonObject()
                        .put("deploy", new JsonObject().put("production", missingRepo))
                        .encode());
        Files.writeString(
                bad.resolve("relative.json"),
                new JsonObject()
                        .put(
                                "deploy",
                                new JsonObject().put("production", good.copy().put("path", "srv/never")))
                        .encode());
        Files.writeString(
                bad.resolve("port.json"),
                new JsonObject()
                        .put(
                                "deploy",
                                new JsonObject().put("production", good.copy().put("port", "ssh")))
                        .encode());
        return bad;
    }

    /** Pushes a commit that writes {@code file} to {@code branch}; returns the commit. */
    String commit(String branch, String file, String content, String message) throws IOException {
        git(dev, "fetch", "-q", "origin");
        git(dev, "checkout", "-q", "-B", branch, "origin/" + branch);
        Files.writeString(dev.resolve(file), content);
        git(dev, "commit", "-q", "-a", "-m", message);
        git(dev, "push", "-q", "origin", branch);
        return git(dev, "rev-parse", "HEAD");
    }

    /** The commit a branch of the repository points at. */
    String head(String branch) throws IOException {
        return git(repo, "rev-parse", "refs/heads/" + branch);
    }

    /** The commits in a host's .deploys, oldest first. */
    List<String> deploys(Path app) throws IOException {
        Path log = app.resolve(".deploys");
        return Files.exists(log)
                ? Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList()
                : List.of();
    }

    /** Every path under an app's folder, relative, the clone's .git left out: the layout a setup makes. */
    List<String> tree(Path app) throws IOException {
        try (Stream<Path> paths = Files.walk(app)) {
            return paths.map(p -> app.relativize(p).toString())
                    .filter(p -> !p.startsWith("source/.git"))
                    .sorted()
                    .toList();
        }
    }

    /** Runs git in {@code dir}; returns its output, stripped. */
    String git(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment()
                .putAll(Map.of(
                        "GIT_AUTHOR_NAME",
                        "jpm",
                        "GIT_AUTHOR_EMAIL",
                        "jpm@localhost",
                        "GIT_COMMITTER_NAME",
                        "jpm",
                        "GIT_COMMITTER_EMAIL",
                        "jpm@localhost"));
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                fail("git " + String.join(" ", args) + " in " + dir + " failed: " + output);
            }
            return output.strip();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        hosts.forEach(Sshd::close);
    }
}
