package io.jpm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.verticle.RelayRoute;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fleet relay's CONNECT line and the ready instances' entries, read as written; and bytes carried
 * through a tunnel and a relay over TLS made from a user's PEM files (a CA's certificate signing the
 * member's), on BoringSSL.
 */
class FleetRelayTest {
    @Test
    void onlyAConnectToALoopbackPortIsAccepted() {
        assertEquals(41234, FleetRelay.connectPort("CONNECT 127.0.0.1:41234 HTTP/1.1\r\nHost: 127.0.0.1:41234"));
        assertEquals(-1, FleetRelay.connectPort("CONNECT 10.0.0.2:41234 HTTP/1.1"));
        assertEquals(-1, FleetRelay.connectPort("GET / HTTP/1.1"));
        assertEquals(-1, FleetRelay.connectPort("CONNECT 127.0.0.1:x HTTP/1.1"));
        assertEquals(-1, FleetRelay.connectPort(""));
    }

    @Test
    void anEntryReadsBackAsWritten() {
        FleetReady ready = new FleetReady(
                "10.0.0.2:5703",
                List.of(new FleetReady.Instance(0, 4242, 41234), new FleetReady.Instance(1, 4243, 41235)),
                false);
        assertEquals(ready, FleetReady.parse(ready.encode()));
        assertEquals(
                "{\"relay\":\"10.0.0.2:5703\",\"instances\":[{\"pm_id\":0,\"pid\":4242,\"port\":41234},"
                        + "{\"pm_id\":1,\"pid\":4243,\"port\":41235}],\"leaving\":false}",
                ready.encode());
        FleetReady leaving = new FleetReady("10.0.0.2:5703", List.of(), true);
        assertEquals(leaving, FleetReady.parse(leaving.encode()));
    }

    @Test
    void aTunnelCarriesBytesToAnInstanceThroughTheRelayOnTheUsersPemFiles() throws Exception {
        assertTrue(OpenSSLEngineOptions.isAvailable(), "BoringSSL loads here");
        Vertx vertx = Vertx.vertx();
        try {
            NetServer echo = echo(vertx);
            int relayPort = freePort();
            FleetRelay relay = FleetRelay.open(vertx, usersPemFiles(), "127.0.0.1", relayPort);
            relay.allow(Set.of(echo.actualPort()));
            int tunnel = relay.tunnel("127.0.0.1:" + relayPort, echo.actualPort())
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)
                    .actualPort();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String answer = "";
            // the relay listens once open() bound it: tried until it answers
            while (!answer.equals("hello") && System.nanoTime() < deadline) {
                answer = echoed(tunnel, "hello");
            }
            assertEquals("hello", answer);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The balancer's own way (no loopback listener): a route from {@link FleetRelay#route} carries the
     * cluster's key and trust, and no host name check (a member's certificate names no host), so the
     * relay lets it in and a CONNECT to an allowed instance is answered 200, then carries its bytes; a
     * port not allowed is refused 403.
     */
    @Test
    void aRouteReachesAnInstanceThroughTheRelayWithTheClustersTls() throws Exception {
        Vertx vertx = Vertx.vertx();
        MultiThreadIoEventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            NetServer echo = echo(vertx);
            int relayPort = freePort();
            FleetRelay relay = FleetRelay.open(vertx, usersPemFiles(), "127.0.0.1", relayPort);
            relay.allow(Set.of(echo.actualPort()));
            RelayRoute route = relay.route("127.0.0.1:" + relayPort, echo.actualPort())
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertEquals(relayPort, route.relay().getPort());
            String answer = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            // the relay listens once open() bound it: tried until it answers
            while (!answer.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline) {
                answer = throughRoute(loop, route, echo.actualPort(), "hello");
            }
            assertEquals("HTTP/1.1 200 Connection established\r\n\r\nhello", answer);
            String refused = throughRoute(loop, route, echo.actualPort() + 1, "");
            assertTrue(refused.startsWith("HTTP/1.1 403"), refused);
            // the fronts' question whether this member answers (balancer.RelayWatch), before a CONNECT
            String question = "OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1:" + relayPort + "\r\n\r\n";
            String asked = throughRoute(loop, route, question + question, echo.actualPort(), "again");
            assertEquals(
                    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".repeat(2)
                            + "HTTP/1.1 200 Connection established\r\n\r\nagain",
                    asked);
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * What comes back over {@code route}'s TLS to a {@code CONNECT} to {@code port} followed by {@code
     * text}, read until {@code text} is echoed or the relay closes; "" when the way is not open yet.
     */
    private static String throughRoute(MultiThreadIoEventLoopGroup loop, RelayRoute route, int port, String text)
            throws Exception {
        return throughRoute(loop, route, "", port, text);
    }

    /** The same with {@code before} sent ahead of the CONNECT on the same connection. */
    private static String throughRoute(
            MultiThreadIoEventLoopGroup loop, RelayRoute route, String before, int port, String text) throws Exception {
        CompletableFuture<String> got = new CompletableFuture<>();
        StringBuilder seen = new StringBuilder();
        new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        InetSocketAddress relay = route.relay();
                        channel.pipeline()
                                .addLast(route.tls()
                                        .newHandler(channel.alloc(), relay.getHostString(), relay.getPort()));
                        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                                if (event instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
                                    ctx.writeAndFlush(Unpooled.copiedBuffer(
                                            before + "CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\n\r\n" + text,
                                            StandardCharsets.ISO_8859_1));
                                }
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf bytes = (ByteBuf) msg;
                                seen.append(bytes.toString(StandardCharsets.ISO_8859_1));
                                bytes.release();
                                if (!text.isEmpty() && seen.toString().endsWith(text)) {
                                    got.complete(seen.toString());
                                    ctx.close();
                                }
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                got.complete(seen.toString());
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                })
                .connect(route.relay())
                .addListener(connected -> {
                    if (!connected.isSuccess()) {
                        got.complete(""); // not listening yet
                    }
                });
        return got.get(10, TimeUnit.SECONDS);
    }

    /** An echo server on loopback. */
    private static NetServer echo(Vertx vertx) throws Exception {
        return vertx.createNetServer()
                .connectHandler(socket -> socket.handler(socket::write))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    /** A user's PEM files, made here: a CA's certificate and a member's key and certificate it signed. */
    private static EventBusOptions usersPemFiles() throws Exception {
        Path dir = Files.createTempDirectory("jpm-relay-tls-");
        String ec = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
        openssl(dir, "req -x509 " + ec + " -days 2 -subj /CN=ca -keyout ca.key -out ca.crt");
        openssl(dir, "req " + ec + " -subj /CN=web-1 -keyout web.key -out web.csr");
        openssl(dir, "x509 -req -in web.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -out web.crt");
        return new EventBusOptions()
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setKeyPath(dir.resolve("web.key").toString())
                        .setCertPath(dir.resolve("web.crt").toString()))
                .setTrustOptions(
                        new PemTrustOptions().addCertPath(dir.resolve("ca.crt").toString()));
    }

    /** What the tunnel at {@code port} answers to {@code text}; "" when the way is not open yet. */
    private static String echoed(int port, String text) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] got = new byte[text.length()];
            int n = 0;
            while (n < got.length) {
                int read = in.read(got, n, got.length - n);
                if (read < 0) {
                    return "";
                }
                n += read;
            }
            return new String(got, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    private static void openssl(Path dir, String args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args.split(" ")));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "openssl " + args + ": " + out);
    }
}
