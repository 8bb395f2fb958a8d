package io.jpm.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.Addresses;
import io.jpm.testkit.Eventually;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Auto-dump waits while any restore runs. A flag set by each restore and cleared by each end let the
 * first of two overlapping restores (a resurrect during the start's) say none was left: a dump taken
 * then would hold a half-restored table.
 */
class RestoreRequestsTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void twoOverlappingRestoresRunUntilTheLastEnds() throws Exception {
        List<Message<JsonObject>> atGod = new CopyOnWriteArrayList<>();
        AtomicInteger allEnded = new AtomicInteger();
        Context context = vertx.getOrCreateContext();
        RestoreRequests restores = on(context, () -> {
            vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_GOD_RESTORE, atGod::add);
            return new RestoreRequests(vertx, allEnded::incrementAndGet);
        });
        Adoption.Restoring start = on(context, () -> restores.send(new JsonObject(), Path.of("dump.json")));
        Adoption.Restoring resurrect = on(context, () -> restores.send(new JsonObject(), Path.of("dump.json")));
        Eventually.until("both at God", () -> atGod.size() == 2);

        atGod.get(0).reply(new JsonObject().put("data", new JsonObject()));
        CompletableFuture<Boolean> runningAfterFirst = new CompletableFuture<>();
        context.runOnContext(v -> start.done().onComplete(ar -> runningAfterFirst.complete(restores.running())));
        assertTrue(runningAfterFirst.get(10, TimeUnit.SECONDS), "the other restore still runs");
        assertEquals(0, allEnded.get(), "no dump while it runs");

        atGod.get(1).reply(new JsonObject().put("data", new JsonObject()));
        resurrect.done().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(1, allEnded.get(), "told once, at the last end");
        assertFalse(on(context, restores::running));
    }

    private static <T> T on(Context context, Supplier<T> call) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> result.complete(call.get()));
        return result.get(10, TimeUnit.SECONDS);
    }
}
