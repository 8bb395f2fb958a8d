package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;

/**
 * The one app a test of bad input starts first ("keep", a fixture script), to show afterwards that
 * the refused request changed nothing.
 */
record KeptApp(long pid) {
    static KeptApp start(Jpm jpm) {
        jpm.ok("start", Jpm.fixture("tree.sh").toString(), "--name", "keep");
        return new KeptApp(jpm.awaitStatus("keep", "online").get(0).getInteger("pid"));
    }

    /** Nothing changed: one app, same pid, still online, daemon answering. */
    void assertUnchanged(Jpm jpm) {
        JsonArray list = jpm.jlist();
        assertEquals(1, list.size(), list.encodePrettily());
        assertEquals(pid, (long) list.getJsonObject(0).getInteger("pid"));
        assertEquals("online", Jpm.status(list.getJsonObject(0)));
    }
}
