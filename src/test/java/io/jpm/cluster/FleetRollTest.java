package io.jpm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.testkit.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fleet reload's roll (FleetRoll) with turns the test ends by hand: one member at a time, a second
 * roll of the app refused while one runs, a member that leaves during its turn skipped, a refusal
 * stopping the roll. Vert.x's lock of a Vert.x without a cluster stands for the cluster's one.
 */
class FleetRollTest {
    private Vertx vertx;
    private Members members;
    private FleetRoll roll;
    /** Each member's turn as asked, ended by the test. */
    private final Map<String, Promise<JsonArray>> turns = new HashMap<>();

    private final List<String> asked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void oneMemberEach() {
        vertx = Vertx.vertx();
        members = new Members(vertx);
        List.of("web-1", "web-2", "web-3").forEach(members::up);
        roll = new FleetRoll(vertx, members);
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private Future<JsonArray> turn(String node) {
        asked.add(node);
        Promise<JsonArray> promise = Promise.promise();
        turns.put(node, promise);
        return promise.future();
    }

    private static JsonArray process(String node) {
        return new JsonArray().add(new JsonObject().put("host", node));
    }

    private void awaitAsked(int count) {
        Eventually.await("turns asked: " + count + " (now " + asked + ")", () -> asked.size() >= count ? true : null);
    }

    private static Throwable failure(Future<?> future) {
        return Eventually.await("the roll's end", () -> future.isComplete() ? future : null)
                .cause();
    }

    @Test
    void eachMemberTakesItsTurnAfterTheOneBeforeAndASecondRollIsRefused() throws Exception {
        List<String> nodes = List.of("web-1", "web-2", "web-3");
        Future<JsonArray> rolled = roll.roll("api", nodes, this::turn);
        awaitAsked(1);
        Throwable second = failure(roll.roll("api", nodes, this::turn));
        assertInstanceOf(JpmException.class, second);
        assertEquals(
                "a reload of 'api' is already rolling across the fleet; wait for it to finish", second.getMessage());
        assertEquals(List.of("web-1"), asked, "one member at a time, the refused roll asked none");
        turns.get("web-1").complete(process("web-1"));
        awaitAsked(2);
        assertEquals(List.of("web-1", "web-2"), asked);
        turns.get("web-2").complete(process("web-2"));
        awaitAsked(3);
        turns.get("web-3").complete(process("web-3"));
        JsonArray all = rolled.await(10, TimeUnit.SECONDS);
        assertEquals(List.of("web-1", "web-2", "web-3"), hosts(all));
        // the lock was let go: the next roll runs
        Future<JsonArray> next = roll.roll("api", List.of("web-2"), this::turn);
        awaitAsked(4);
        turns.get("web-2").complete(process("web-2"));
        assertEquals(List.of("web-2"), hosts(next.await(10, TimeUnit.SECONDS)));
    }

    @Test
    void aMemberThatLeavesDuringItsTurnIsSkippedAndTheRollGoesOn() throws Exception {
        Future<JsonArray> rolled = roll.roll("api", List.of("web-1", "web-2", "web-3"), this::turn);
        awaitAsked(1);
        members.left("web-1"); // its turn never answers: killed, or cut off
        awaitAsked(2);
        turns.get("web-2").complete(process("web-2"));
        awaitAsked(3);
        turns.get("web-3").complete(process("web-3"));
        assertEquals(List.of("web-2", "web-3"), hosts(rolled.await(10, TimeUnit.SECONDS)));
    }

    @Test
    void aMemberThatRefusesStopsTheRollAndTheLineNamesTheOthers() {
        Future<JsonArray> rolled = roll.roll("api", List.of("web-1", "web-2", "web-3"), this::turn);
        awaitAsked(1);
        turns.get("web-1").fail(new JpmException(JpmError.SPAWN_FAILED, "member 'web-1': reload of 'api' failed: x"));
        Throwable cause = failure(rolled);
        assertEquals(
                "member 'web-1': reload of 'api' failed: x; the roll stopped there: web-2, web-3 not reloaded",
                cause.getMessage());
        assertEquals(List.of("web-1"), asked);
        // the lock was let go
        roll.roll("api", List.of("web-3"), this::turn);
        awaitAsked(2);
    }

    private static List<String> hosts(JsonArray processes) {
        List<String> hosts = new ArrayList<>();
        processes.forEach(p -> hosts.add(((JsonObject) p).getString("host")));
        return hosts;
    }
}
