package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Continuous requests to a balanced app from a few client threads, counting answers, failures
 * (with their reasons) and the pids that answered ("pid=N" in the body of the hello fixtures).
 * Keep-alive clients reuse one connection (HTTP mode moves them between instances); the others
 * open a connection per request, as a TCP balancer can only move whole connections.
 */
final class Load implements AutoCloseable {
    private static final Pattern PID = Pattern.compile("pid=(\\d+)");

    final AtomicLong ok = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final Set<Long> pids = ConcurrentHashMap.newKeySet();
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final int port;
    private final boolean keepAlive;
    /** Kept-alive connections of its own, never retried: a request that fails on one counts as failed. */
    private final boolean plain;

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    Load(int port, boolean keepAlive, int clients) {
        this(port, keepAlive, false, clients);
    }

    /**
     * Kept-alive clients that retry nothing, as Python's http.client or Node's http: Java's HttpClient
     * sends an idempotent request again when its kept-alive connection ends before an answer, which
     * hides a server that closes a connection it said it would keep.
     */
    static Load keptAliveWithoutRetry(int port, int clients) {
        return new Load(port, true, true, clients);
    }

    private Load(int port, boolean keepAlive, boolean plain, int clients) {
        this.port = port;
        this.keepAlive = keepAlive;
        this.plain = plain;
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(plain ? this::plainLoop : this::loop, "load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void loop() {
        HttpClient client = keepAlive
                ? HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build()
                : null;
        while (running) {
            try {
                String body = keepAlive ? viaClient(client) : viaNewConnection();
                Matcher m = PID.matcher(body);
                if (!m.find()) {
                    throw new IOException("unexpected answer: " + body);
                }
                pids.add(Long.parseLong(m.group(1)));
                ok.incrementAndGet();
            } catch (IOException e) {
                failed.incrementAndGet();
                failures.add(e.toString());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void plainLoop() {
        KeptConnection connection = new KeptConnection(port);
        while (running) {
            try {
                count(connection.get());
            } catch (IOException e) {
                connection.close();
                failed.incrementAndGet();
                failures.add(e.toString());
            }
        }
        connection.close();
    }

    private void count(String body) throws IOException {
        Matcher m = PID.matcher(body);
        if (!m.find()) {
            throw new IOException("unexpected answer: " + body);
        }
        pids.add(Long.parseLong(m.group(1)));
        ok.incrementAndGet();
    }

    /** One kept-alive HTTP/1.1 connection: GET / again and again, a new connection once the server says close. */
    private static final class KeptConnection {
        private final int port;
        private Socket socket;
        private InputStream in;

        KeptConnection(int port) {
            this.port = port;
        }

        String get() throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                socket.setSoTimeout(20_000);
                in = new java.io.BufferedInputStream(socket.getInputStream());
            }
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String status = line();
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IOException("bad answer: '" + status + "'");
            }
            int length = -1;
            boolean close = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            if (length < 0) {
                throw new IOException("no Content-Length: " + status);
            }
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            if (close) {
                close();
            }
            return body;
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException(
                            "the connection ended before an answer" + (line.size() > 0 ? ": " + line : ""));
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }

        void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                socket = null;
            }
        }
    }

    private String viaClient(HttpClient client) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("status " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private String viaNewConnection() throws IOException {
        return onNewConnection(port);
    }

    /** One GET / on a connection of its own to {@code port} on 127.0.0.1; its answer, status line first. */
    static String onNewConnection(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.1 200") && !text.startsWith("HTTP/1.0 200")) {
                throw new IOException("bad answer: '" + text + "'");
            }
            return text;
        }
    }

    /** Sends {@code times} GET / to {@code port} on 127.0.0.1, one after the other, outside any load. */
    static void getRoot(int port, int times) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < times; i++) {
            client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Waits until at least {@code more} further requests have been answered. */
    void awaitMore(long more) {
        long target = ok.get() + more;
        Jpm.await(
                more + " more answers (now " + ok.get() + ", failed " + failed.get() + ")",
                Duration.ofSeconds(60),
                () -> ok.get() >= target ? true : null);
    }

    /** Waits until every pid of {@code wanted} has answered. */
    void awaitPids(Set<Long> wanted) {
        Jpm.await(
                "answers from every pid of " + wanted + " (seen " + pids + ")",
                Duration.ofSeconds(60),
                () -> pids.containsAll(wanted) ? true : null);
    }

    /** Forgets the pids that answered so far; waits until every pid of {@code wanted} has answered. */
    void awaitPidsAfresh(Set<Long> wanted) {
        pids.clear();
        awaitPids(wanted);
    }

    /** Asserts that {@code after} shares no pid with {@code before}; waits until every pid of {@code after} has answered. */
    void awaitReplacement(Set<Long> before, Set<Long> after) {
        assertTrue(after.stream().noneMatch(before::contains), "every pid changed: " + before + " -> " + after);
        awaitPidsAfresh(after);
    }

    /** Stops the clients; asserts that no request failed. */
    void closeWithNoneFailed() throws InterruptedException {
        close();
        assertEquals(0, failed.get(), report());
    }

    String report() {
        return "ok " + ok.get() + ", failed " + failed.get() + ": "
                + failures.stream().limit(5).toList();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(30_000);
        }
    }
}
