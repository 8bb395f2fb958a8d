package io.jpm.daemon;

import io.jpm.heldport.HeldPorts;
import io.jpm.internals.VertxInternals;
import io.jpm.protocol.JpmEnv;
import io.jpm.verticle.FileOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.ExecutorServiceFactory;
import io.vertx.core.transport.Transport;
import java.util.logging.Logger;

/**
 * The daemon's own Vert.x: small pools whose idle threads end, the hang check in place of Vert.x's
 * blocked-thread checker, quiet event loops, and the native heap trimmed by the daemon itself. Never
 * clustered: the cluster's Vert.x runs beside it (io.jpm.cluster).
 *
 * <p>The pools, the quiet loops and the trim (with the heap return, and persist.Renewal) are memory and
 * wake-up tuning, not what keeps apps running: {@code JPM_TUNING=0} turns them all off (Vert.x's own
 * fixed pools then), and CI runs half of the ITs so (pom.xml, the failsafe execution "untuned"), so
 * that nothing comes to lean on them unseen.
 */
final class DaemonVertx {
    private static final Logger LOG = Logger.getLogger("jpm.daemon");
    private static final int WORKER_THREADS = 4;
    /** daemon.log's line at each start, one of these two: KeeperIT reads it to know JPM_TUNING reached the daemon. */
    static final String TUNING_ON = "tuning: on (idle-ending pools, quiet loops, heap return and native trim, renewal)";

    static final String TUNING_OFF = "tuning: off (JPM_TUNING=0): Vert.x's fixed pools, no quiet loops, no heap"
            + " return or native trim, no renewal after a burst";
    /** God, Satan and the bridge each need one; they are never busy long. */
    private static final int EVENT_LOOPS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private DaemonVertx() {}

    /**
     * Built as Vertx.vertx(options) builds it, but with worker pools whose idle threads end
     * (IdleEndingPools) and threads the hang check can see ({@code threads}).
     *
     * @param satan jpm.json's satan section (the hang check's threshold)
     * @param publicPorts the balancer's public ports, which Vert.x's servers listen on when the transport is
     *     epoll (heldport: they outlive this daemon); with NIO, Vert.x binds them itself
     */
    static Vertx create(VertxThreads threads, JsonObject satan, HeldPorts publicPorts) {
        boolean tuned = !JpmEnv.TUNING.off();
        // Small pools: spawning and file writes are short, and the thread count stays flat whatever
        // the number of apps (Vert.x's default pool grows to 20 under a burst of starts)
        VertxOptions options = new VertxOptions()
                .setWorkerPoolSize(WORKER_THREADS)
                .setInternalBlockingPoolSize(WORKER_THREADS)
                .setEventLoopPoolSize(EVENT_LOOPS)
                .setFileSystemOptions(FileOptions.withoutClassPath())
                .setPreferNativeTransport(!JpmEnv.NATIVE_TRANSPORT.off());
        Transport transport = options.getPreferNativeTransport() ? Transport.nativeTransport() : null;
        // Vert.x internal (VertxInternals.create says why)
        Vertx vertx = VertxInternals.create(
                options,
                implementation(transport, publicPorts),
                tuned ? new IdleEndingPools() : ExecutorServiceFactory.INSTANCE,
                threads.factory());
        // Vert.x's blocked-thread checker wakes a thread of its own every second to warn of a loop
        // held too long; the hang check measures the same on the acceptor loop, every 10 s by default,
        // and ends the daemon on a hang (HangWatch): one thread and most wake-ups fewer on an idle daemon
        // (internal: no public API closes it; a huge check interval would keep its thread)
        VertxInternals.closeBlockedThreadChecker(vertx);
        new HangWatch(vertx, threads).start(satan);
        if (tuned) {
            // and an event loop with no timer of its own would wake every second (QuietEventLoops)
            QuietEventLoops.quiet(vertx);
        }
        StartTimeline.mark("Vert.x created");
        if (tuned) {
            // in place of the JVM's native heap trimmer and its thread (DaemonJvm); the Java heap too (HeapReturn)
            NativeHeapTrim.start(vertx);
        }
        LOG.info(() -> "network transport: " + transportName(vertx));
        LOG.info(tuned ? TUNING_ON : TUNING_OFF);
        return vertx;
    }

    private static io.vertx.core.spi.transport.Transport implementation(Transport wanted, HeldPorts publicPorts) {
        if (wanted == Transport.EPOLL && wanted.available()) {
            return publicPorts.listenThrough(wanted.implementation());
        }
        return (wanted != null ? wanted : Transport.NIO).implementation();
    }

    private static String transportName(Vertx vertx) {
        if (vertx.isNativeTransportEnabled()) {
            return "epoll";
        }
        Throwable cause = vertx.unavailableNativeTransportCause();
        return "NIO" + (cause == null ? "" : " (" + cause + ")");
    }
}
