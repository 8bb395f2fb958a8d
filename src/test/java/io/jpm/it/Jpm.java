package io.jpm.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.jpm.testkit.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A real jpm for one test class: a temporary JPM_HOME, the real CLI run as a child process (so
 * stdout, stderr and exit code are what a user sees), and the daemon it starts. Waits poll with a
 * deadline; nothing sleeps to wait for a state.
 */
public final class Jpm implements AutoCloseable {
    static final Path JAR = Path.of("target", "jpm.jar").toAbsolutePath();
    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures").toAbsolutePath();
    static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /**
     * The CLI as users run it: bin/jpm, the launcher with its fast-start flags and the class archive
     * it records on its first run (about 40 ms less a command than a bare {@code java -cp}, over
     * thousands of commands in the ITs). It runs the java on PATH or JAVA_HOME, as for a user.
     */
    static final List<String> CLI =
            List.of(Path.of("bin", "jpm").toAbsolutePath().toString());

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    /**
     * An npm install from the registry (a tool's test folder, jpm install-otel): its time is npm's
     * and the registry's, up to ~130 s for OpenTelemetry's packages on a loaded 2-core CI machine.
     */
    static final Duration NPM_TIMEOUT = Duration.ofSeconds(300);

    final Path home;
    /** A scratch folder apps may write to (JPM_TEST_DIR). */
    final Path scratch;
    /**
     * Commands that run until stopped (followers, jpm-dev, jpm-runtime): a test that fails before it
     * stops one leaves it running, so {@link #close} ends what is left.
     */
    private final List<Process> running = new CopyOnWriteArrayList<>();
    /** The daemon's calls that may wait made on an event loop, as daemon.log tells them. */
    final BlockingCallLines blockingCalls;

    public record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** What every jpm command runs under (ip netns exec NS: a host of its own), or nothing. */
    private final List<String> wrapper;
    /** Variables every jpm command, and so the daemon it starts, gets ({@link DaemonEnv}), before a call's own. */
    final Map<String, String> env;

    Jpm() throws IOException {
        this(List.of());
    }

    /** A jpm whose commands, and so the daemon they start and its apps, run under {@code wrapper}. */
    Jpm(List<String> wrapper) throws IOException {
        this(wrapper, Map.of());
    }

    /** As {@link #Jpm(List)}, every command with {@code env} in its environment. */
    Jpm(List<String> wrapper, Map<String, String> env) throws IOException {
        Path root = Files.createTempDirectory("jpm-it-");
        this.home = root.resolve("home");
        this.scratch = Files.createDirectories(root.resolve("scratch"));
        this.wrapper = List.copyOf(wrapper);
        this.env = Map.copyOf(env);
        this.blockingCalls = new BlockingCallLines(home.resolve("daemon.log"));
    }

    /** A jpm whose JPM_HOME is {@code home} (a path of the test's choosing), its commands run under {@code wrapper}. */
    Jpm(Path home, List<String> wrapper) throws IOException {
        this.home = home;
        this.scratch =
                Files.createDirectories(Files.createTempDirectory("jpm-it-").resolve("scratch"));
        this.wrapper = List.copyOf(wrapper);
        this.env = Map.of();
        this.blockingCalls = new BlockingCallLines(home.resolve("daemon.log"));
    }

    static Path fixture(String name) {
        return FIXTURES.resolve(name);
    }

    /** Runs {@code jpm <args>} and returns what it printed and its exit code. */
    Result cli(String... args) {
        return cli(Map.of(), args);
    }

    Result cli(Map<String, String> extraEnv, String... args) {
        return cliIn(scratch, extraEnv, args);
    }

    /** Runs {@code jpm <args>} in {@code dir} (a verb like deploy reads the folder it runs in). */
    Result cliIn(Path dir, Map<String, String> extraEnv, String... args) {
        return cliIn(dir, extraEnv, COMMAND_TIMEOUT, args);
    }

    /** Runs {@code jpm <args>} that may run up to {@code timeout} (one that runs npm: {@link #NPM_TIMEOUT}). */
    Result cliWithin(Duration timeout, String... args) {
        return cliIn(scratch, Map.of(), timeout, args);
    }

    private Result cliIn(Path dir, Map<String, String> extraEnv, Duration timeout, String... args) {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(CLI);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("JPM_HOME", home.toString());
        builder.environment().put("JPM_TEST_DIR", scratch.toString());
        // the daemon inherits it: watched config files are scanned often, so hot-reload tests are quick
        builder.environment().put("JPM_CONFIG_SCAN_MS", "200");
        // a free bridge port, not the default one: the ITs' daemons run side by side (a test of the
        // port itself sets its own through extraEnv)
        builder.environment().put("JPM_BRIDGE_PORT", "0");
        // and a cluster member cut off is dropped after 4 s of silence (not 10), the halves of a
        // healed cut look for each other every 2 s (not 5): the cluster ITs that cut one are quick
        builder.environment().put("JPM_CLUSTER_HEARTBEAT_TIMEOUT_S", "4");
        builder.environment().put("JPM_CLUSTER_MERGE_CHECK_S", "2");
        // no renewal after a burst (200 apps, then the next test's delete all): it would hand the
        // apps to a fresh daemon in the middle of the next test. RenewalIT sets its own figures
        builder.environment().put("JPM_RENEW_MIN_DROP", "1000000");
        builder.environment().putAll(env);
        builder.environment().putAll(extraEnv);
        return run(builder, scratch, "jpm " + String.join(" ", args), timeout);
    }

    /**
     * Runs {@code builder} to its end, within 120 s, its stdout and stderr in files in {@code tempDir}
     * (deleted after); {@code what} names it in a failure.
     */
    static Result run(ProcessBuilder builder, Path tempDir, String what) {
        return run(builder, tempDir, what, COMMAND_TIMEOUT);
    }

    static Result run(ProcessBuilder builder, Path tempDir, String what, Duration timeout) {
        try {
            Path out = Files.createTempFile(tempDir, "out", ".txt");
            Path err = Files.createTempFile(tempDir, "err", ".txt");
            Process process = builder.redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                fail(what + " did not finish within " + timeout.toSeconds() + " s; it printed:\n"
                        + Files.readString(out, StandardCharsets.UTF_8) + "--- stderr\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            Result result = new Result(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Starts {@code jpm <args>} that runs until stopped ({@code logs}, {@code events}), its stdout
     * into {@code out}; the caller destroys it ({@link #close} does if the test failed first).
     */
    Process follow(Path out, String... args) throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(CLI);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(scratch.toFile())
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("JPM_HOME", home.toString());
        builder.environment().putAll(env);
        return ended(builder.start());
    }

    /** {@code process}, ended by {@link #close} if it still runs then. */
    Process ended(Process process) {
        running.add(process);
        return process;
    }

    /** Writes {@code text} to {@code name} in the scratch folder; returns its path. */
    Path write(String name, String text) throws IOException {
        return Files.writeString(scratch.resolve(name), text);
    }

    /** An app's options in pm2's names: its name and its script. */
    static JsonObject app(String name, Path script) {
        return new JsonObject().put("name", name).put("script", script.toString());
    }

    /** An ecosystem file's text: {@code {"apps": [...]}} with these apps. */
    static String ecosystem(JsonObject... apps) {
        return new JsonObject()
                .put("apps", new JsonArray(List.of((Object[]) apps)))
                .encodePrettily();
    }

    /** Writes {@code name} in the scratch folder as an ecosystem file with these apps; returns its path. */
    Path ecosystem(String name, JsonObject... apps) throws IOException {
        return Files.writeString(scratch.resolve(name), ecosystem(apps));
    }

    /** The names jlist lists, sorted. */
    List<String> names() {
        return jlist().stream()
                .map(o -> ((JsonObject) o).getString("name"))
                .sorted()
                .toList();
    }

    /** Waits until app {@code name} is online; its pid. */
    int pidOf(String name) {
        return awaitStatus(name, "online").get(0).getInteger("pid");
    }

    /** Waits until app {@code name}'s first process is online with a pid other than {@code old}; returns it. */
    int awaitNewPid(String what, String name, int old) {
        return await(what, () -> {
            JsonObject p = named(name).get(0);
            return "online".equals(status(p)) && p.getInteger("pid") != old ? p.getInteger("pid") : null;
        });
    }

    /**
     * Variable {@code var} in the environment process {@code pid} runs with (/proc), or null. Waits
     * for the environment to show: posix_spawn returns, and jpm reports the run online, once the
     * kernel has switched the child to the new program's memory, but execve sets where that memory
     * holds the environment a moment later (create_elf_tables, after the loader is mapped), and
     * /proc reads none until then: on a busy machine a test looked inside that moment.
     */
    static String environ(int pid, String var) {
        byte[] environ = await("the environment of pid " + pid + " in /proc", () -> {
            try {
                byte[] read = Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "environ"));
                return read.length > 0 ? read : null;
            } catch (IOException e) {
                throw new AssertionError("pid " + pid + " is gone", e);
            }
        });
        for (String entry : new String(environ).split("\0")) {
            if (entry.startsWith(var + "=")) {
                return entry.substring(var.length() + 1);
            }
        }
        return null;
    }

    /** Writes the daemon's settings file, JPM_HOME/jpm.json (read when the daemon starts, watched after). */
    void settings(JsonObject settings) throws IOException {
        Files.createDirectories(home);
        Files.writeString(home.resolve("jpm.json"), settings.encodePrettily());
    }

    /**
     * The words of {@code start <script> --name <name> -i <instances> --port <port>}, then {@code more}:
     * a balanced app's start.
     */
    static List<String> balancedStart(String script, String name, int instances, int port, String... more) {
        List<String> words =
                new ArrayList<>(List.of("start", script, "--name", name, "-i", Integer.toString(instances)));
        words.addAll(List.of("--port", Integer.toString(port)));
        words.addAll(List.of(more));
        return words;
    }

    /** Runs a command that must succeed. */
    Result ok(String... args) {
        Result result = cli(args);
        if (result.exit() != 0) {
            fail("jpm " + String.join(" ", args) + " failed: " + result + daemonLogTail(result));
        }
        return result;
    }

    /**
     * A daemon that did not start or answer: daemon.log's last lines, which the failure names but
     * which are gone with the test's home once it ends.
     */
    private String daemonLogTail(Result result) {
        if (!result.err().contains("daemon.log")) {
            return "";
        }
        List<String> log =
                readLog(home.resolve("daemon.log").toString()).lines().toList();
        return "\n--- daemon.log's last lines\n"
                + String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size()));
    }

    /**
     * What {@code jpm jlist --all} tells: every host's processes, and a line per host that did not
     * answer ({@code web-3: unreachable (left the cluster)}, as its stderr and {@code ls --all} say it).
     */
    record Fleetwide(JsonArray processes, List<String> unreachable) {
        boolean says(String line) {
            return unreachable.contains(line);
        }
    }

    /** {@code jpm jlist --all}, asked from here while a daemon answers, else by the command; null when it failed. */
    Fleetwide listAll() {
        JsonObject asked = wrapper.isEmpty() ? DaemonList.askAll(home) : null;
        if (asked != null) {
            return new Fleetwide(asked.getJsonArray("processes"), DaemonList.unreachable(asked));
        }
        Result r = cli("jlist", "--all");
        if (r.exit() != 0) {
            return null;
        }
        List<String> unreachable = r.err()
                .lines()
                .filter(l -> l.startsWith("[jpm] ") && l.contains(": unreachable ("))
                .map(l -> l.substring("[jpm] ".length()))
                .toList();
        return new Fleetwide(new JsonArray(r.out()), unreachable);
    }

    /** Whether {@link #listAll} answers with {@code line} among its hosts that did not answer. */
    boolean listsUnreachable(String line) {
        Fleetwide all = listAll();
        return all != null && all.says(line);
    }

    /** jpm jlist's array: asked from here while a daemon answers ({@link DaemonList}), else by the command. */
    JsonArray jlist() {
        JsonArray asked = wrapper.isEmpty() ? DaemonList.ask(home) : null;
        return asked != null ? asked : new JsonArray(ok("jlist").out());
    }

    List<JsonObject> named(String name) {
        List<JsonObject> found = new ArrayList<>();
        for (Object o : jlist()) {
            JsonObject p = (JsonObject) o;
            if (p.getString("name").equals(name)) {
                found.add(p);
            }
        }
        return found;
    }

    static String status(JsonObject process) {
        return process.getJsonObject("pm2_env").getString("status");
    }

    /** Waits until every instance of {@code name} (at least one) has {@code status}; returns them. */
    List<JsonObject> awaitStatus(String name, String status) {
        return await("every '" + name + "' " + status, () -> {
            List<JsonObject> instances = named(name);
            return !instances.isEmpty() && instances.stream().allMatch(p -> status.equals(status(p)))
                    ? instances
                    : null;
        });
    }

    int daemonPid() throws IOException {
        return Integer.parseInt(Files.readString(home.resolve("jpm.pid")).trim());
    }

    /** Polls {@code probe} until it returns non-null, or fails after the deadline with {@code what}. */
    static <T> T await(String what, Supplier<T> probe) {
        return Eventually.await(what, probe);
    }

    static <T> T await(String what, Duration timeout, Supplier<T> probe) {
        return Eventually.await(what, timeout, probe);
    }

    /** Sends the signal ({@code STOP}, {@code CONT}, {@code KILL}...) to {@code pid} with kill(1); fails when kill does. */
    static void signal(String name, long pid) throws IOException {
        try {
            int exit = new ProcessBuilder("kill", "-" + name, Long.toString(pid))
                    .inheritIO()
                    .start()
                    .waitFor();
            if (exit != 0) {
                fail("kill -" + name + " " + pid + " exited " + exit);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !exited(pid);
    }

    /** A zombie, or gone: reaped between the look at the handle and this one, it is no more alive. */
    private static boolean exited(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Gone, or a zombie whose threads are all gone: a killed JVM's main thread shows as a zombie while
     * its other threads still exit, holding its files and sockets (its port is not free until then).
     */
    static boolean released(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
            return !alive(pid) && tasks.count() <= 1;
        } catch (IOException e) {
            return true;
        }
    }

    static void awaitGone(long pid) {
        await("pid " + pid + " to be gone", () -> released(pid) ? true : null);
    }

    /** The pid of the grandchild a tree.sh instance with main pid {@code pid} recorded. */
    long grandchildOf(long pid) {
        Path file = scratch.resolve("grandchild-" + pid);
        return await("grandchild pid file " + file, () -> {
            try {
                String text = Files.isRegularFile(file) ? Files.readString(file).trim() : "";
                return text.isEmpty() ? null : Long.parseLong(text);
            } catch (IOException e) {
                return null;
            }
        });
    }

    String readLog(String path) {
        try {
            return Files.isRegularFile(Path.of(path)) ? Files.readString(Path.of(path), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until the file at {@code path} contains {@code text}; returns the whole content. */
    String awaitLog(String path, String text) {
        return awaitLog(path, text, Eventually.TIMEOUT);
    }

    /** As {@link #awaitLog(String, String)}, for at most {@code timeout} (a daemon's start on a loaded machine). */
    String awaitLog(String path, String text, Duration timeout) {
        return await(path + " to contain '" + text + "'", timeout, () -> {
            String content = readLog(path);
            return content.contains(text) ? content : null;
        });
    }

    /**
     * Stops the daemon and everything it runs; kills what is left if it does not. Then fails if the
     * daemon made a blocking call on an event loop since the last look ({@link BlockingCallLines}).
     */
    @Override
    public void close() throws IOException {
        running.stream().filter(Process::isAlive).forEach(Process::destroyForcibly);
        stopDaemon();
        blockingCalls.assertNoneSince("while this test class ran");
    }

    private void stopDaemon() throws IOException {
        Path pidFile = home.resolve("jpm.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid = daemonPid();
        cli("kill");
        try {
            Eventually.until("the daemon (pid " + pid + ") to stop", Duration.ofSeconds(20), () -> !alive(pid));
        } catch (AssertionError stillRunning) {
            // killed below
        }
        // its keeper first, which would start a daemon killed here again (and leave it running)
        try {
            long keeper =
                    Long.parseLong(Files.readString(home.resolve("keeper.pid")).trim());
            ProcessHandle.of(keeper)
                    .filter(k -> k.info().commandLine().orElse("").contains(home + "/keeper.pl"))
                    .ifPresent(ProcessHandle::destroyForcibly);
        } catch (IOException | NumberFormatException e) {
            // no keeper left (it ended with its daemon)
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
}
