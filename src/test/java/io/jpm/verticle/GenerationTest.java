package io.jpm.verticle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmError;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two real deployments of one verticle on a real bus: once the second is declared, the first forwards. */
@ExtendWith(VertxExtension.class)
class GenerationTest {
    private static final String ADDRESS = "test.generation.work";
    private static final String EVENTS = "test.generation.events";

    /** HttpReplies with its generation; counts the events it acted on. */
    private static final class Worker extends VerticleBase {
        final Set<String> events = ConcurrentHashMap.newKeySet();
        Generation thisGeneration;

        @Override
        public Future<?> start() {
            thisGeneration = Generation.of(vertx, "worker", config());
            thisGeneration.<JsonObject>consumer(ADDRESS, m -> {
                if (m.body().getBoolean("fail", false)) {
                    m.fail(JpmError.UNKNOWN_TARGET.code(), "no such thing");
                } else {
                    m.reply(new JsonObject().put("generation", thisGeneration.generation()));
                }
            });
            thisGeneration.<JsonObject>consumer(EVENTS, m -> events.add(m.body().getString("id")));
            return Future.succeededFuture();
        }
    }

    private static Future<String> deploy(Vertx vertx, Worker worker, int generation) {
        Generation.declare(vertx, "worker", generation);
        return vertx.deployVerticle(
                worker, new DeploymentOptions().setConfig(new JsonObject().put(Generation.GENERATION, generation)));
    }

    @Test
    void aSupersededDeploymentForwardsRequestsAndIgnoresEvents(Vertx vertx, VertxTestContext test) {
        Worker first = new Worker();
        Worker second = new Worker();
        deploy(vertx, first, 1)
                .compose(id -> deploy(vertx, second, 2))
                .compose(id -> {
                    assertFalse(first.thisGeneration.current());
                    assertTrue(second.thisGeneration.current() && second.thisGeneration.redeployed());
                    vertx.eventBus().publish(EVENTS, new JsonObject().put("id", "e1"));
                    // round robin hands half of these to the first: every answer comes from the second
                    List<Future<Integer>> answers = new ArrayList<>();
                    for (int i = 0; i < 6; i++) {
                        answers.add(vertx.eventBus()
                                .<JsonObject>request(ADDRESS, new JsonObject())
                                .map(m -> m.body().getInteger("generation")));
                    }
                    Future<Integer> failed = vertx.eventBus()
                            .<JsonObject>request(ADDRESS, new JsonObject().put("fail", true))
                            .map(m -> 0)
                            .recover(e -> Future.succeededFuture(((ReplyException) e).failureCode()));
                    Future<Integer> failedAgain = vertx.eventBus()
                            .<JsonObject>request(ADDRESS, new JsonObject().put("fail", true))
                            .map(m -> 0)
                            .recover(e -> Future.succeededFuture(((ReplyException) e).failureCode()));
                    answers.add(failed);
                    answers.add(failedAgain);
                    return Future.all(answers).map(all -> {
                        List<Integer> list = new ArrayList<>();
                        for (int i = 0; i < all.size(); i++) {
                            list.add(all.resultAt(i));
                        }
                        return list;
                    });
                })
                .onComplete(test.succeeding(list -> test.verify(() -> {
                    assertEquals(List.of(2, 2, 2, 2, 2, 2), list.subList(0, 6));
                    assertEquals(
                            List.of(JpmError.UNKNOWN_TARGET.code(), JpmError.UNKNOWN_TARGET.code()),
                            list.subList(6, 8),
                            "a failure is relayed with its code");
                    assertEquals(Set.of(), first.events, "the superseded one acts on no event");
                    assertEquals(Set.of("e1"), second.events);
                    test.completeNow();
                })));
    }

    @Test
    void withoutADeclarationADeploymentIsCurrent(Vertx vertx) {
        Generation alone = Generation.of(vertx, "nobody", new JsonObject());
        assertTrue(alone.current());
        assertFalse(alone.redeployed());
        assertEquals(1, alone.generation());
    }
}
