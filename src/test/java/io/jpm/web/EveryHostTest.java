package io.jpm.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.verticle.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Where a target's {@code @node} sends an HTTP request: to that member when it is in the cluster, refused
 * in the CLI's words otherwise, and left alone on a daemon without a cluster (a bus with a
 * {@code jpm.query.cluster} answer, or none).
 */
@ExtendWith(VertxExtension.class)
class EveryHostTest {
    private static final JsonObject CLUSTER = new JsonObject()
            .put("name", "prod")
            .put("node", "web-1")
            .put(
                    "members",
                    new JsonArray()
                            .add(new JsonObject().put("node", "web-1").put("status", "up"))
                            .add(new JsonObject().put("node", "web-2").put("status", "up"))
                            .add(new JsonObject().put("node", "web-3").put("status", "left")));

    private static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static EveryHost clustered(Vertx vertx) {
        vertx.eventBus().localConsumer(Addresses.QUERY_CLUSTER, m -> m.reply(Reply.ok(CLUSTER)));
        return new EveryHost(new BusCall(vertx));
    }

    @Test
    void aMembersTargetGoesToItsAddressWithoutTheNode(Vertx vertx) throws Exception {
        EveryHost hosts = clustered(vertx);
        assertEquals(
                new EveryHost.Routed("jpm.host.web-2.cmd.restart", "api"),
                await(hosts.route(Addresses.CMD_RESTART, "api@web-2")));
        assertEquals(
                new EveryHost.Routed("jpm.host.web-2.query.describe", "3"),
                await(hosts.route(Addresses.QUERY_DESCRIBE, "3@web-2")));
        // a scope is a name, not a host
        assertEquals(
                new EveryHost.Routed(Addresses.CMD_RESTART, "@scope/app"),
                await(hosts.route(Addresses.CMD_RESTART, "@scope/app")));
    }

    @Test
    void anUnknownNodeIsRefusedNamingTheMembersAndOneThatLeftIsUnavailable(Vertx vertx) {
        EveryHost hosts = clustered(vertx);
        JpmException unknown =
                assertThrows(JpmException.class, () -> await(hosts.route(Addresses.CMD_STOP, "api@web-9")));
        assertEquals(JpmError.UNKNOWN_TARGET, unknown.error());
        assertEquals("no member named 'web-9' in cluster 'prod'; members: web-1, web-2", unknown.getMessage());
        JpmException left = assertThrows(JpmException.class, () -> await(hosts.route(Addresses.CMD_STOP, "api@web-3")));
        assertEquals(JpmError.UNAVAILABLE, left.error());
        assertEquals("member 'web-3' left cluster 'prod' (unreachable); members now: web-1, web-2", left.getMessage());
    }

    @Test
    void withoutAClusterAnAtIsPartOfThePlainName(Vertx vertx) throws Exception {
        EveryHost hosts = new EveryHost(new BusCall(vertx));
        assertEquals(
                new EveryHost.Routed(Addresses.CMD_RESTART, "api@web-2"),
                await(hosts.route(Addresses.CMD_RESTART, "api@web-2")));
    }
}
