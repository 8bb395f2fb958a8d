package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * pm2's own {@code pm2 deploy}, run from the same clean clone as jpm's, with a private PM2_HOME:
 * pm2 deploy starts a local pm2 daemon, killed on close.
 */
final class Pm2Deploy implements AutoCloseable {
    private final DeployWorld world;
    private final Path home;

    Pm2Deploy(DeployWorld world) throws IOException {
        this.world = world;
        this.home = Files.createDirectories(world.root.resolve("pm2-home"));
    }

    /** {@code pm2 deploy ecosystem.json <words>}, which must succeed; returns its stdout and stderr. */
    String ok(String... words) {
        List<String> args = new ArrayList<>(List.of("deploy", "ecosystem.json"));
        args.addAll(List.of(words));
        Jpm.Result result = run(args);
        assertEquals(0, result.exit(), "pm2 " + String.join(" ", args) + ": " + result);
        return result.out() + result.err();
    }

    private Jpm.Result run(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Manager.pm2Binary()));
        command.addAll(args);
        try {
            Path out = Files.createTempFile(world.root, "pm2-out", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(world.work.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().put("PM2_HOME", home.toString());
            Process process = builder.start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("pm2 " + String.join(" ", args) + " did not finish within 90 s");
            }
            return new Jpm.Result(process.exitValue(), Files.readString(out), "");
        } catch (IOException e) {
            throw new AssertionError("cannot run pm2", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        run(List.of("kill"));
    }
}
