package io.jpm.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Another member's live batches around the reply with its last lines: none sent before it, those it
 * holds (numbered up to its {@code seq}) dropped, each later one sent once, in the order they came.
 */
class HostLogsLiveTest {
    private final List<String> sent = new ArrayList<>();
    private final HostLogs.Live live = new HostLogs.Live((kind, data) -> sent.add(kind + " " + lines(data)), Set.of(3));

    @Test
    void batchesBeforeTheReplyWaitAndThoseItHoldsAreDropped() {
        assertNull(live.arrived(batch(4, "a")));
        assertNull(live.arrived(batch(5, "b")));
        assertNull(live.arrived(batch(6, "c")));
        assertEquals(List.of(), sent);
        live.from(5);
        assertEquals(List.of("log [c]"), sent);
        assertEquals("[d]", lines(live.arrived(batch(7, "d"))));
    }

    @Test
    void aBatchNumberedAfterTheMarkIsSentAndTheMarkThenForgotten() {
        live.from(10);
        assertNull(live.arrived(batch(9, "old")));
        assertEquals("[new]", lines(live.arrived(batch(11, "new"))));
        // the member's daemon started again and counts from 1: its batches are new lines
        assertEquals("[again]", lines(live.arrived(batch(1, "again"))));
    }

    @Test
    void onlyTheFollowedInstancesLinesGo() {
        live.from(0);
        JsonObject mixed = batch(1, "mine");
        mixed.getJsonArray("lines").add(new JsonObject().put("pm_id", 8).put("line", "theirs"));
        assertEquals("[mine]", lines(live.arrived(mixed)));
        JsonObject theirs = new JsonObject()
                .put("seq", 2L)
                .put(
                        "lines",
                        new JsonArray().add(new JsonObject().put("pm_id", 8).put("line", "x")));
        assertNull(live.arrived(theirs));
    }

    @Test
    void pastTheHeldBoundBatchesAreCountedAsDropped() {
        for (int i = 1; i <= HostLogs.Live.MAX_HELD + 2; i++) {
            live.arrived(batch(i, "l" + i));
        }
        live.from(0);
        assertEquals(HostLogs.Live.MAX_HELD + 1, sent.size());
        assertEquals("log [l1]", sent.get(0));
        assertEquals("dropped 2", sent.get(sent.size() - 1));
    }

    private static JsonObject batch(long seq, String line) {
        return new JsonObject()
                .put("host", "web-2")
                .put("seq", seq)
                .put(
                        "lines",
                        new JsonArray().add(new JsonObject().put("pm_id", 3).put("line", line)));
    }

    private static String lines(JsonObject data) {
        if (data.containsKey("events")) {
            return String.valueOf(data.getLong("events"));
        }
        List<String> texts = new ArrayList<>();
        data.getJsonArray("lines").forEach(l -> texts.add(((JsonObject) l).getString("line")));
        return texts.toString();
    }
}
