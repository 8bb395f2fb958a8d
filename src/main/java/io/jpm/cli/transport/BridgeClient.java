package io.jpm.cli.transport;

import io.jpm.cli.CliException;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The client side of the TCP event-bus bridge: 4-byte big-endian length, then a JSON frame, both
 * ways. Every frame carries the token. No Vert.x here: the CLI must start fast.
 */
public final class BridgeClient implements AutoCloseable {
    private final FrameLink link;
    private final String token;
    private int replies;
    /** Not ProcessHandle.current(): its start-up costs the client more than the whole request. */
    private static final String SESSION = Long.toHexString(System.nanoTime());

    private BridgeClient(
            AutoCloseable connection, InputStream in, OutputStream out, IntConsumer readTimeout, String token) {
        this.link = new FrameLink(connection, in, out, readTimeout, token);
        this.token = token;
    }

    static BridgeClient connect(String host, int port, String token, int connectTimeoutMs, int answerTimeoutMs)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), connectTimeoutMs);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return over(socket, token, answerTimeoutMs);
    }

    /**
     * A client over a socket already connected (and, for a TLS bridge, past its handshake). Its token
     * goes out at once, in a ping: a door past its cap evicts the connections that have not shown one
     * within a grace after their connect, and a command that read files or built its request first
     * took longer than that on a loaded machine (ChurnIT: "lost the daemon: Broken pipe"). The answer
     * to that ping is awaited here: a connection evicted before the door read its token ends here, as
     * an IOException the caller may try again on, not in the middle of a command; so does one evicted
     * before its late ping arrived, whose answer is the eviction's err ({@link #tokenRefused}).
     */
    static BridgeClient over(Socket socket, String token, int answerTimeoutMs) throws IOException {
        BridgeClient client = new BridgeClient(
                socket,
                socket.getInputStream(),
                socket.getOutputStream(),
                ms -> {
                    try {
                        socket.setSoTimeout(ms);
                    } catch (SocketException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                token);
        try {
            client.link.ping();
            client.link.readTimeout(answerTimeoutMs);
            byte[] answer = client.link.readFrame();
            Json.Value frame = Json.parse(answer);
            if (!"pong".equals(frame.path("type").asText(null)) && !tokenRefused(frame)) {
                throw new IOException("the door closed the connection before it read the token: "
                        + frame.path("message").asText(frame.toString()));
            }
            if (!"pong".equals(frame.path("type").asText(null))) {
                client.link.putBack(answer);
            }
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * An err FORBIDDEN to the token's ping is the token refused: the first request fails with it. Any
     * other is the door closing a connection whose ping it had not read (evicted past its cap: a CLI
     * that waited for a core between its connect and its ping; taken for a refusal, its requests
     * then met the closed connection: "lost the daemon: Broken pipe").
     */
    private static boolean tokenRefused(Json.Value answer) {
        return "err".equals(answer.path("type").asText(null))
                && answer.path("failureCode").asInt(0) == JpmError.FORBIDDEN.code();
    }

    /** Through the daemon's Unix socket in JPM_HOME, the CLI's own door (JpmHome.cliSocket). */
    static BridgeClient connect(Path socket, String token) throws IOException {
        UnixLink link = UnixLink.connect(socket);
        return new BridgeClient(link, link.in(), link.out(), link::readTimeout, token);
    }

    /**
     * Sends a request and waits for its reply; returns the reply's {@code data}.
     *
     * @throws CliException with the daemon's failure code and message
     */
    public Json.Value request(String address, Map<String, Object> body, int timeoutMs) throws IOException {
        return exchange(address, body, timeoutMs, null);
    }

    /** One request of {@link #requestAll}: its address, body and the daemon's timeout for it. */
    public record Request(String address, Map<String, Object> body, int timeoutMs) {}

    /** A reply of {@link #requestAll}: its data, or the failure {@link #request} would have thrown. */
    public record Reply(Json.Value data, CliException failure) {
        /** The data, or the failure thrown. */
        public Json.Value get() {
            if (failure != null) {
                throw failure;
            }
            return data;
        }
    }

    /**
     * Sends every request before reading any reply, so they cost one round trip together (jpm ls:
     * the table, the watched files, the supervision notes); the replies, matched by address whatever
     * order they come in, in the order asked.
     */
    public List<Reply> requestAll(List<Request> requests) throws IOException {
        return requestAll(requests, () -> {});
    }

    /** {@link #requestAll(List)}, running {@code meanwhile} on this thread once the requests are out, while the daemon answers. */
    public List<Reply> requestAll(List<Request> requests, Runnable meanwhile) throws IOException {
        List<String> replyAddresses = new ArrayList<>();
        int longest = 0;
        for (Request request : requests) {
            replyAddresses.add(send(request.address(), request.body(), request.timeoutMs()));
            longest = Math.max(longest, request.timeoutMs());
        }
        link.readTimeout(longest + 5000);
        meanwhile.run();
        Reply[] replies = new Reply[requests.size()];
        int pending = requests.size();
        try {
            while (pending > 0) {
                Json.Value frame = read();
                int index = replyAddresses.indexOf(frame.path("address").asText(null));
                if (index < 0
                        && (frame.has("address")
                                || !"err".equals(frame.path("type").asText()))) {
                    continue; // some other frame
                }
                // an error for no address in particular (the token refused) fails the first one still waiting
                int at = index >= 0 ? index : firstMissing(replies);
                if (replies[at] != null) {
                    continue;
                }
                String address = requests.get(at).address();
                try {
                    Json.Value data = settle(address, replyAddresses.get(at), frame);
                    replies[at] = new Reply(data == null ? new Json.Value(null) : data, null);
                } catch (CliException e) {
                    replies[at] = new Reply(null, e);
                }
                pending--;
            }
        } catch (SocketTimeoutException e) {
            throw new CliException(
                    JpmError.UNAVAILABLE,
                    "the daemon did not answer "
                            + requests.get(firstMissing(replies)).address() + " within "
                            + requests.get(firstMissing(replies)).timeoutMs() + " ms");
        } catch (IOException e) {
            throw lost(e);
        }
        return List.of(replies);
    }

    private static int firstMissing(Reply[] replies) {
        for (int i = 0; i < replies.length; i++) {
            if (replies[i] == null) {
                return i;
            }
        }
        return 0;
    }

    /**
     * Like {@link #request}, but writes the reply's data to {@code out} as JSON text without building
     * it (jlist: most of a command's bytes); any other frame is read as {@link #request} reads it.
     */
    public void requestInto(String address, Map<String, Object> body, int timeoutMs, OutputStream out)
            throws IOException {
        Json.Value data = exchange(address, body, timeoutMs, out);
        if (data != null) {
            out.write(data.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Sends a request and reads frames until its reply: returns the reply's data, or null when
     * {@code copyTo} is given and the data was copied there as it came.
     */
    private Json.Value exchange(String address, Map<String, Object> body, int timeoutMs, OutputStream copyTo)
            throws IOException {
        String replyAddress = send(address, body, timeoutMs);
        try {
            while (true) {
                byte[] frame = link.readFrame();
                if (copyTo != null && Json.copyReplyData(frame, replyAddress, copyTo)) {
                    return null;
                }
                Json.Value data = settle(address, replyAddress, Json.parse(frame));
                if (data != null) {
                    return data;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new CliException(
                    JpmError.UNAVAILABLE, "the daemon did not answer " + address + " within " + timeoutMs + " ms");
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /**
     * A connection lost before any answer came on it: only queries (or nothing) went out, since a
     * command waits for the daemon's first answer ({@link #send}), so nothing was done and the
     * command may run again ({@link DaemonGone}); any other loss as it is.
     */
    private IOException lost(IOException e) {
        return link.answered() || e instanceof DaemonGone ? e : new DaemonGone(e);
    }

    /**
     * Before the first command on a connection that has not answered yet (jpm.sock's: a TCP one
     * answered the ping of its connect), a ping and its pong: a daemon killed a moment ago whose
     * door still accepted fails here, before the command is out (a {@link DaemonGone}), not after
     * it, when nobody could tell whether it was carried out.
     */
    private void confirmAnswering(int timeoutMs) throws IOException {
        try {
            link.ping();
            link.readTimeout(timeoutMs);
            byte[] frame = link.readFrame();
            if (!"pong".equals(Json.parse(frame).path("type").asText(null))) {
                link.putBack(frame); // the token refused, say: the command's own reply says so
            }
        } catch (SocketTimeoutException e) {
            throw new CliException(
                    JpmError.UNAVAILABLE, "the daemon did not answer a ping within " + timeoutMs + " ms");
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /** Sends a request frame; returns the address its reply comes back to. */
    private String send(String address, Map<String, Object> body, int timeoutMs) throws IOException {
        // unique per connection is enough: the bridge routes replies back on this socket only
        if (!link.answered() && Addresses.isCommand(address)) {
            confirmAnswering(timeoutMs + 5000);
        }
        String replyAddress = "jpm.reply." + SESSION + "." + (++replies);
        Map<String, Object> frame = Json.object();
        frame.put("type", "send");
        frame.put("address", address);
        frame.put("replyAddress", replyAddress);
        frame.put("body", body);
        // the bridge's own send timeout (30 s by default) must not cut a long stop short
        frame.put("headers", Map.of("token", token, "timeout", (long) timeoutMs));
        try {
            link.write(frame);
        } catch (IOException e) {
            throw lost(e);
        }
        link.readTimeout(timeoutMs + 5000);
        return replyAddress;
    }

    /**
     * The reply's data when {@code reply} is ours, null when it is some other frame (read on).
     *
     * @throws CliException with the daemon's failure code and message
     */
    private static Json.Value settle(String address, String replyAddress, Json.Value reply) {
        String type = reply.path("type").asText();
        boolean ours = replyAddress.equals(reply.path("address").asText(null));
        if ("err".equals(type) && (ours || !reply.has("address"))) {
            int code = reply.path("failureCode").asInt(JpmError.INTERNAL.code());
            String message = reply.path("message").asText("request failed");
            if ("access_denied".equals(message)) {
                throw new CliException(JpmError.FORBIDDEN, "access denied by the daemon for " + address);
            }
            if ("TIMEOUT".equals(reply.path("failureType").asText())
                    || "NO_HANDLERS".equals(reply.path("failureType").asText())) {
                throw new CliException(JpmError.UNAVAILABLE, address + ": " + message);
            }
            throw new CliException(JpmError.fromCode(code), message);
        }
        return "message".equals(type) && ours ? reply.path("body").path("data") : null;
    }

    /**
     * Registers for each address and hands every message (address and body) to {@code onEvent}
     * until the connection closes.
     */
    public void listen(List<String> addresses, Consumer<Json.Value> onEvent) throws IOException {
        listen(addresses, () -> {}, onEvent);
    }

    /**
     * {@link #listen(java.util.List, Consumer)}, and {@code onListening} once the registrations hold:
     * a ping sent after them is answered in order, in this same loop, so no event that comes before
     * that answer is dropped and none after it is missed (attach types to the app only then).
     */
    public void listen(List<String> addresses, Runnable onListening, Consumer<Json.Value> onEvent) throws IOException {
        listen(addresses, Addresses.QUERY_PING, Map.of(), reply -> onListening.run(), onEvent);
    }

    /**
     * {@link #listen(java.util.List, Consumer)}, with one request sent once the registrations hold:
     * its reply's data goes to {@code onReply} in this same loop, between the events that came before
     * it and those after (jpm logs api@web-2 asks for the last lines that way).
     *
     * @throws CliException when the request fails, with the daemon's code and message
     */
    public void listen(
            List<String> addresses,
            String address,
            Map<String, Object> body,
            Consumer<Json.Value> onReply,
            Consumer<Json.Value> onEvent)
            throws IOException {
        register(addresses);
        String listening = send(address, body, 30_000);
        link.readTimeout(0);
        while (true) {
            Json.Value message;
            try {
                message = read();
            } catch (EOFException e) {
                return;
            } catch (IOException e) {
                throw lost(e);
            }
            boolean reply = listening.equals(message.path("address").asText(null));
            if ("err".equals(message.path("type").asText()) && !reply) {
                throw new CliException(
                        JpmError.FORBIDDEN,
                        "cannot listen: " + message.path("message").asText());
            }
            if (reply) {
                onReply.accept(settle(address, listening, message));
            } else if ("message".equals(message.path("type").asText())) {
                onEvent.accept(message);
            }
        }
    }

    /**
     * Registers for each address. A request sent on this connection afterwards is answered once the
     * registrations are in place (the bridge reads a connection's frames in order): jpm-runtime
     * pings before it starts apps, so it misses none of their first lines.
     */
    public void register(List<String> addresses) throws IOException {
        for (String address : addresses) {
            link.write(Map.of("type", "register", "address", address, "headers", Map.of("token", token)));
        }
    }

    private Json.Value read() throws IOException {
        return Json.parse(link.readFrame());
    }

    @Override
    public void close() throws IOException {
        link.close();
    }
}
