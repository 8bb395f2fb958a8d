package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Continuous GETs from inside a host of {@link NetworkNamespaces} (fixtures/load_client.py, where the
 * test's own {@link Load} cannot reach), counting answers and failures: keep-alive clients reuse a
 * connection (HTTP mode moves it between instances), the others open one per request.
 */
final class NamespaceLoad implements AutoCloseable {
    private final Process client;
    private final Path out;
    private JsonObject result;

    /** {@code clients} threads sending GET {@code url} from the host {@code exec} runs in. */
    NamespaceLoad(List<String> exec, String url, boolean keepAlive, int clients, Path out) throws IOException {
        this.out = out;
        List<String> command = new ArrayList<>(exec);
        command.addAll(List.of(
                "python3",
                Jpm.fixture("load_client.py").toString(),
                url,
                keepAlive ? "keepalive" : "close",
                String.valueOf(clients)));
        this.client = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectErrorStream(true)
                .start();
    }

    /** The answers so far (the client prints its counts every 20 answers). */
    long answered() {
        return count(1);
    }

    /** The failed requests up to the last 20 answers. */
    long failed() {
        return count(3);
    }

    /** The first failures, as they happened. */
    List<String> failures() {
        try {
            return Files.readAllLines(out).stream()
                    .filter(l -> l.startsWith("failure "))
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long count(int word) {
        try {
            List<String> lines = Files.readAllLines(out);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("ok ")) {
                    return Long.parseLong(lines.get(i).split(" ")[word]);
                }
            }
            return 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits until at least {@code more} further requests have been answered. */
    void awaitMore(long more) {
        long target = answered() + more;
        Jpm.await(
                more + " more answers through " + out.getFileName(),
                Duration.ofSeconds(60),
                () -> answered() >= target ? true : null);
    }

    /** Stops the client: its count of answers ({@code ok}), failures ({@code failed}, {@code failures}) and the pids that answered. */
    JsonObject finish() throws IOException, InterruptedException {
        if (result == null) {
            client.destroy();
            assertTrue(client.waitFor(60, TimeUnit.SECONDS), "the load client did not stop");
            String text = Files.readString(out);
            String last = text.lines()
                    .filter(l -> l.startsWith("final "))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no final line from the load client: " + text));
            result = new JsonObject(last.substring("final ".length()));
        }
        return result;
    }

    @Override
    public void close() throws Exception {
        if (client.isAlive()) {
            client.destroyForcibly();
            client.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
