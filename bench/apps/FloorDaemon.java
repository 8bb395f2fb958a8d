import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * bench/floor.sh's daemon: the least a daemon of jpm's design does before its first answer, and
 * nothing else: a JVM, Vert.x (two event loops, as jpm's), one consumer answering jpm.query.ping,
 * and a door on 127.0.0.1, port args[1], that speaks the TCP event-bus bridge's frames as jpm's does
 * (read once, a request to the bus, its reply written back: bridge.BusSession, without the token,
 * the guard's limits and the rules). When the door listens it writes the port
 * to the file named by args[0] (temp file + rename), as jpm's daemon writes daemon.json.
 * No token, no verticles, no process table, no logs. Idle, it wakes no more than jpm's daemon does
 * for the design's own sake: Vert.x's blocked-thread checker closed and every event loop given a
 * far timer, so Netty does not wake it each second (jpm's DaemonMain and QuietEventLoops).
 */
public final class FloorDaemon {
    public static void main(String[] args) throws Exception {
        Path ready = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1));
        VertxInternal internal = (VertxInternal) vertx;
        internal.blockedThreadChecker().close();
        for (var loops : java.util.List.of(internal.nettyEventLoopGroup(), internal.acceptorEventLoopGroup())) {
            loops.forEach(loop -> loop.scheduleAtFixedRate(() -> {}, 24, 24, TimeUnit.HOURS));
        }
        vertx.eventBus().consumer("jpm.query.ping", m -> m.reply(new JsonObject().put("msg", "pong")));
        vertx.createNetServer()
                .connectHandler(socket -> serve(vertx, socket))
                .listen(port, "127.0.0.1")
                .onSuccess(server -> {
                    try {
                        Path temp = ready.resolveSibling(ready.getFileName() + ".tmp");
                        Files.writeString(temp, Integer.toString(port));
                        Files.move(temp, ready);
                    } catch (Exception e) {
                        e.printStackTrace();
                        System.exit(1);
                    }
                })
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }

    /** One connection: a 4-byte length, then JSON; a ping gets a pong, a send its reply. */
    private static void serve(Vertx vertx, NetSocket socket) {
        RecordParser parser = RecordParser.newFixed(4);
        parser.handler(new io.vertx.core.Handler<>() {
            private int length = -1;

            @Override
            public void handle(Buffer record) {
                if (length < 0) {
                    length = record.getInt(0);
                    parser.fixedSizeMode(length);
                    return;
                }
                length = -1;
                parser.fixedSizeMode(4);
                JsonObject frame = record.toJsonObject();
                if ("ping".equals(frame.getString("type"))) {
                    write(socket, new JsonObject().put("type", "pong"));
                    return;
                }
                String replyAddress = frame.getString("replyAddress");
                vertx.eventBus()
                        .request(frame.getString("address"), frame.getValue("body"))
                        .onSuccess(reply -> write(socket, new JsonObject()
                                .put("type", "message")
                                .put("address", replyAddress)
                                .put("body", reply.body())
                                .put("send", true)));
            }
        });
        socket.handler(parser);
    }

    private static void write(NetSocket socket, JsonObject frame) {
        Buffer json = frame.toBuffer();
        socket.write(Buffer.buffer(4 + json.length()).appendInt(json.length()).appendBuffer(json));
    }
}
