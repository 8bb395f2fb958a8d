package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.BlockingCallWatch;
import io.jpm.testkit.LoggedLines;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BlockingCallTest {
    @Test
    void theTestsRunWithTheCheckOn() {
        assertTrue(BlockingCall.class.desiredAssertionStatus(), "surefire and failsafe run with -ea");
    }

    @Test
    void aCallOnAnEventLoopFailsAndSaysSoInTheLog() throws Exception {
        LoggedLines logged = LoggedLines.of("jpm.loop");
        Vertx vertx = Vertx.vertx();
        try {
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            vertx.runOnContext(v -> {
                try {
                    BlockingCall.check("a read of /proc/1/stat");
                    thrown.complete(null);
                } catch (Throwable e) {
                    thrown.complete(e);
                }
            });
            Throwable onLoop = thrown.get(10, TimeUnit.SECONDS);
            assertInstanceOf(AssertionError.class, onLoop);
            assertTrue(
                    onLoop.getMessage()
                            .contains(BlockingCall.MARK + ": a read of /proc/1/stat on vert.x-eventloop-thread-"),
                    onLoop.getMessage());
            assertTrue(
                    String.join("\n", logged.all()).contains(BlockingCall.MARK),
                    logged.all().toString());

            Future<Void> onWorker = vertx.executeBlocking(() -> {
                BlockingCall.check("a read of /proc/1/stat");
                return null;
            });
            assertDoesNotThrow(
                    () -> onWorker.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        } finally {
            BlockingCallWatch.forget(); // made on purpose
            logged.close();
            vertx.close();
        }
    }

    @Test
    void loopsAreToldByVertxsThreadNames() {
        assertTrue(BlockingCall.isLoop("vert.x-eventloop-thread-1"));
        assertTrue(BlockingCall.isLoop("vert.x-acceptor-thread-0"));
        assertFalse(BlockingCall.isLoop("vert.x-worker-thread-3"));
        assertFalse(BlockingCall.isLoop("vert.x-internal-blocking-0"));
        assertFalse(BlockingCall.isLoop("jpm-spawn-1"));
        assertFalse(BlockingCall.isLoop("main"));
    }
}
