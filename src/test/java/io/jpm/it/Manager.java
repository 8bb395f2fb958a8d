package io.jpm.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A process manager driven through its CLI, for the differential scenarios: jpm (the real CLI, a
 * temporary JPM_HOME) or pm2 itself (its own binary, a temporary PM2_HOME). Both run their
 * commands in the same kind of scratch folder, so one scenario reads the same on either.
 */
final class Manager implements AutoCloseable {
    /** jpm under pm2's name: PM2_HOME as its home, pm2's file names. */
    private static final List<String> JPM_AS_PM2 =
            List.of(Path.of("compat", "jpm-as-pm2").toAbsolutePath().toString());

    final String tool;
    final Path home;
    final Path scratch;
    /** The command line that runs the tool, before its arguments. */
    private final List<String> program;
    /** The variable naming its home: JPM_HOME, PM2_HOME. */
    private final String homeVariable;
    /** Where it dumps the process list in its home. */
    private final String dumpName;

    private Manager(String tool, List<String> program, String homeVariable, String dumpName) throws IOException {
        this(tool, program, homeVariable, dumpName, Files.createTempDirectory("diff-" + tool + "-"));
    }

    private Manager(String tool, List<String> program, String homeVariable, String dumpName, Path root)
            throws IOException {
        this(
                tool,
                program,
                homeVariable,
                dumpName,
                root.resolve("home"),
                Files.createDirectories(root.resolve("scratch")));
    }

    private Manager(String tool, List<String> program, String homeVariable, String dumpName, Path home, Path scratch) {
        this.tool = tool;
        this.program = program;
        this.homeVariable = homeVariable;
        this.dumpName = dumpName;
        this.home = home;
        this.scratch = scratch;
    }

    /** jpm under pm2's name (compat/jpm-as-pm2) on this manager's home and scratch folder: pm2's home taken over. */
    Manager jpmAsPm2Here() {
        return new Manager("jpm-as-pm2", JPM_AS_PM2, "PM2_HOME", "dump.pm2", home, scratch);
    }

    /**
     * "jpm" (the real CLI), "jpm-as-pm2" (jpm under pm2's name: compat/jpm-as-pm2, PM2_HOME and pm2's
     * file names) or "pm2" (its own binary).
     */
    static Manager of(String tool) throws IOException {
        return switch (tool) {
            case "pm2" -> new Manager("pm2", List.of(pm2Binary()), "PM2_HOME", "dump.pm2");
            case "jpm-as-pm2" -> new Manager(tool, JPM_AS_PM2, "PM2_HOME", "dump.pm2");
            default -> new Manager("jpm", Jpm.CLI, "JPM_HOME", "dump.json");
        };
    }

    /** pm2's binary: PM2_BIN, else pm2 on PATH. */
    static String pm2Binary() {
        String bin = System.getenv("PM2_BIN");
        return bin == null || bin.isBlank() ? "pm2" : bin;
    }

    /** The user's dump in the home: pm2's dump.pm2 (jpm-as-pm2's too), jpm's dump.json. */
    Path dumpFile() {
        return home.resolve(dumpName);
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(program);
        command.addAll(List.of(args));
        return command;
    }

    Jpm.Result cli(String... args) {
        return cli(Map.of(), args);
    }

    Jpm.Result cli(Map<String, String> env, String... args) {
        ProcessBuilder builder = new ProcessBuilder(command(args))
                .directory(scratch.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put(homeVariable, home.toString());
        // as a shell sets it: pm2 writes init's and --write's files to $PWD before its cwd
        builder.environment().put("PWD", scratch.toString());
        builder.environment().putAll(env);
        return Jpm.run(builder, scratch.getParent(), tool + " " + String.join(" ", args));
    }

    Jpm.Result ok(String... args) {
        return ok(Map.of(), args);
    }

    Jpm.Result ok(Map<String, String> env, String... args) {
        Jpm.Result result = cli(env, args);
        if (result.exit() != 0) {
            fail(tool + " " + String.join(" ", args) + " failed: " + result);
        }
        return result;
    }

    JsonArray jlist() {
        JsonArray asked = "jpm".equals(tool) ? DaemonList.ask(home) : null;
        if (asked != null) {
            return asked;
        }
        String out = ok("jlist").out().strip();
        // pm2 may print a line of its own before the JSON (an update notice, a daemon spawn)
        return new JsonArray(out.substring(out.indexOf('[')));
    }

    List<JsonObject> processes() {
        List<JsonObject> all = new ArrayList<>();
        jlist().forEach(o -> all.add((JsonObject) o));
        return all;
    }

    /** Waits until every process named {@code name} (at least {@code count}) has {@code status}. */
    List<JsonObject> awaitStatus(String name, int count, String status) {
        return Jpm.await(tool + ": " + count + " '" + name + "' " + status, () -> {
            List<JsonObject> named = processes().stream()
                    .filter(p -> p.getString("name").equals(name))
                    .toList();
            return named.size() == count && named.stream().allMatch(p -> status.equals(Jpm.status(p))) ? named : null;
        });
    }

    /** Waits until the one process named {@code name} has {@code status}; returns its pm2_env. */
    JsonObject awaitPm2Env(String name, String status) {
        return awaitStatus(name, 1, status).get(0).getJsonObject("pm2_env");
    }

    /** One line per process in pm_id order, each what {@code line} makes of it: the view a scenario asserts. */
    String view(Function<JsonObject, String> line) {
        return processes().stream()
                .sorted(Comparator.comparingInt(p -> p.getInteger("pm_id")))
                .map(line)
                .collect(Collectors.joining("\n"));
    }

    /** The app's environment as jlist shows it (pm2_env.env). */
    static JsonObject appEnv(JsonObject process) {
        return process.getJsonObject("pm2_env").getJsonObject("env", new JsonObject());
    }

    /** " KEY=value" for each of {@code keys}, from the app's environment (null where it has none). */
    static String envValues(JsonObject process, String... keys) {
        StringBuilder values = new StringBuilder();
        for (String key : keys) {
            values.append(' ').append(key).append('=').append(appEnv(process).getValue(key));
        }
        return values.toString();
    }

    /** A path the manager wrote, relative to its home ("logs/api-out.log"). */
    String inHome(String path) {
        return path == null
                ? null
                : path.startsWith(home + "/") ? path.substring(home.toString().length() + 1) : path;
    }

    Path write(String name, String text) throws IOException {
        Path file = scratch.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    /** Writes {@code lines} to {@code name} in the scratch folder, one a line (no newline after the last). */
    Path writeLines(String name, String... lines) throws IOException {
        return write(name, String.join("\n", lines));
    }

    @Override
    public void close() {
        cli("kill");
    }
}
