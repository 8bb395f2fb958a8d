package io.jpm.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.jpm.testkit.Deadline;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Real HTTP to a jpm daemon's web server (the JDK's client), with its tokens read from JPM_HOME. */
final class WebClient {
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    final String base;
    final String admin;
    final String readOnly;

    WebClient(Jpm jpm, int port) throws IOException {
        this.base = "http://127.0.0.1:" + port;
        this.admin = Files.readString(jpm.home.resolve("token")).trim();
        this.readOnly = Files.readString(jpm.home.resolve("token.readonly")).trim();
    }

    /** Turns the daemon's web server on at {@code port} ({@code jpm web --port}); a client of it. */
    static WebClient start(Jpm jpm, int port) throws IOException {
        jpm.ok("web", "--port", Integer.toString(port));
        return new WebClient(jpm, port);
    }

    /** An answer: its status and body. */
    record Answer(int status, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Answer get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    /** A GET's answer, or null while nothing listens (a new daemon's web server comes after its bridge). */
    Answer getOnceListening(String path, String token) {
        try {
            HttpResponse<String> r =
                    http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The status of a GET, or -1 while nothing listens (a settings edit replaces the server). */
    int statusOf(String path, String token) {
        try {
            return http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Answer post(String path, String token, String body) {
        return send(request(path, token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A Server-Sent Events stream being read: its lines as they come. */
    final class Events implements AutoCloseable {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Stream<String> stream;
        final int status;

        Events(String path, String token) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + token)
                    .GET()
                    .build();
            HttpResponse<Stream<String>> r = http.send(request, HttpResponse.BodyHandlers.ofLines());
            status = r.statusCode();
            stream = r.body();
            Thread reader = new Thread(
                    () -> {
                        try {
                            stream.forEach(lines::add);
                        } catch (RuntimeException e) {
                            // closed by the test
                        }
                    },
                    "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits for a data line that passes {@code wanted}; returns its JSON. */
        JsonObject await(String what, Predicate<String> wanted) throws InterruptedException {
            Deadline deadline = Deadline.in(Duration.ofSeconds(30));
            while (!deadline.passed()) {
                String line = lines.poll(deadline.remainingMillis(), TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith("data: ") && wanted.test(line)) {
                    return new JsonObject(line.substring("data: ".length()));
                }
            }
            fail("no event with " + what + " within 30 s");
            return null;
        }

        @Override
        public void close() {
            stream.close();
        }
    }

    Events events(String path, String token) throws IOException, InterruptedException {
        return new Events(path, token);
    }

    static Path daemonLog(Jpm jpm) {
        return jpm.home.resolve("daemon.log");
    }
}
