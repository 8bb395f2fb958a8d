package io.jpm.satan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.Addresses;
import io.jpm.verticle.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** This host's totals: the machine read on a worker when asked, the apps counted from God's list. */
@ExtendWith(VertxExtension.class)
class HostTotalsTest {
    private static JsonObject row(String status, double cpu, long memory) {
        return new JsonObject()
                .put("pm2_env", new JsonObject().put("status", status))
                .put("monit", new JsonObject().put("cpu", cpu).put("memory", memory));
    }

    @Test
    void theAppsAreCountedByStatusAndTheirFiguresSummed() {
        JsonArray list = new JsonArray()
                .add(row("online", 1.25, 1000))
                .add(row("online", 2.0, 2000))
                .add(row("errored", 0, 0));
        JsonObject totals = HostTotals.withApps(new JsonObject(), list);
        assertEquals(new JsonObject().put("online", 2).put("errored", 1), totals.getJsonObject("apps"));
        assertEquals(3, totals.getInteger("processes"));
        assertEquals(3.3, totals.getDouble("apps_cpu"));
        assertEquals(3000L, totals.getLong("apps_memory"));
    }

    /** The reads happen off the loop: with assertions on, BlockingCall would fail the answer otherwise. */
    @Test
    void anAskReadsTheMachineAndJpmHomesFileSystem(Vertx vertx, @TempDir Path home) throws Exception {
        vertx.eventBus()
                .localConsumer(Addresses.QUERY_LIST, m -> m.reply(Reply.ok(new JsonArray().add(row("online", 0, 5)))));
        HostTotals.serve(vertx, home, "box");
        JsonObject totals = vertx.eventBus()
                .<JsonObject>request(Addresses.QUERY_HOST, new JsonObject())
                .map(reply -> reply.body().getJsonObject("data"))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertEquals("box", totals.getString("hostname"));
        assertEquals(3, totals.getJsonArray("load").size(), totals::encode);
        assertTrue(totals.getJsonObject("memory").getLong("total") > 0, totals::encode);
        assertTrue(totals.getJsonObject("memory").getLong("used") > 0, totals::encode);
        assertEquals(home.toString(), totals.getJsonObject("disk").getString("path"));
        assertTrue(totals.getJsonObject("disk").getLong("total")
                >= totals.getJsonObject("disk").getLong("free"));
        double cpu = totals.getDouble("cpu");
        assertTrue(cpu >= 0 && cpu <= 100, totals::encode);
        assertEquals(1, totals.getJsonObject("apps").getInteger("online"));
    }
}
