import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * bench/floor.sh's daemon: the least a daemon of jpm's design does before its first answer, and
 * nothing else: a JVM, Vert.x (two event loops, as jpm's), one consumer answering jpm.query.ping,
 * and the TCP event-bus bridge on 127.0.0.1, port args[1]. When the bridge listens it writes the port
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
        BridgeOptions permitted = new BridgeOptions()
                .addInboundPermitted(new PermittedOptions().setAddress("jpm.query.ping"))
                .addOutboundPermitted(new PermittedOptions().setAddress("jpm.query.ping"));
        TcpEventBusBridge.create(vertx, permitted, new NetServerOptions())
                .listen(port, "127.0.0.1")
                .onSuccess(bridge -> {
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
}
