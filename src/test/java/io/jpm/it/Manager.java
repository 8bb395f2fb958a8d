package io.jpm.it;

import static org.junit.jupiter.api.Assertions.fail;

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

/**
 * A process manager driven through its CLI, for the differential scenarios: jpm (the real CLI, a
 * temporary JPM_HOME) or pm2 itself (its own binary, a temporary PM2_HOME). Both run their
 * commands in the same kind of scratch folder, so one scenario reads the same on either.
 */
abstract class Manager implements AutoCloseable {
    final String tool;
    final Path home;
    final Path scratch;

    private Manager(String tool) throws IOException {
        this.tool = tool;
        Path root = Files.createTempDirectory("diff-" + tool + "-");
        this.home = root.resolve("home");
        this.scratch = Files.createDirectories(root.resolve("scratch"));
    }

    /** "jpm" or "pm2". */
    static Manager of(String tool) throws IOException {
        return tool.equals("pm2") ? new Pm2() : new JpmCli();
    }

    /** pm2's binary: PM2_BIN, else pm2 on PATH. */
    static String pm2Binary() {
        String bin = System.getenv("PM2_BIN");
        return bin == null || bin.isBlank() ? "pm2" : bin;
    }

    abstract List<String> command(String... args);

    abstract String homeVariable();

    /** The user's dump in the home: pm2's dump.pm2, jpm's dump.json. */
    abstract Path dumpFile();

    Jpm.Result cli(String... args) {
        return cli(Map.of(), args);
    }

    Jpm.Result cli(Map<String, String> env, String... args) {
        try {
            Path out = Files.createTempFile(scratch.getParent(), "out", ".txt");
            Path err = Files.createTempFile(scratch.getParent(), "err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command(args))
                    .directory(scratch.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().put(homeVariable(), home.toString());
            // as a shell sets it: pm2 writes init's and --write's files to $PWD before its cwd
            builder.environment().put("PWD", scratch.toString());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(tool + " " + String.join(" ", args) + " did not finish within 90 s");
            }
            Jpm.Result result = new Jpm.Result(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + tool, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
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

    @Override
    public void close() {
        cli("kill");
    }

    private static final class JpmCli extends Manager {
        JpmCli() throws IOException {
            super("jpm");
        }

        @Override
        List<String> command(String... args) {
            List<String> command = new ArrayList<>(List.of(
                    Jpm.JAVA,
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-cp",
                    Jpm.JAR.toString(),
                    "io.jpm.cli.Main"));
            command.addAll(List.of(args));
            return command;
        }

        @Override
        String homeVariable() {
            return "JPM_HOME";
        }

        @Override
        Path dumpFile() {
            return home.resolve("dump.json");
        }
    }

    private static final class Pm2 extends Manager {
        Pm2() throws IOException {
            super("pm2");
        }

        @Override
        List<String> command(String... args) {
            List<String> command = new ArrayList<>(List.of(pm2Binary()));
            command.addAll(List.of(args));
            return command;
        }

        @Override
        String homeVariable() {
            return "PM2_HOME";
        }

        @Override
        Path dumpFile() {
            return home.resolve("dump.pm2");
        }
    }
}
