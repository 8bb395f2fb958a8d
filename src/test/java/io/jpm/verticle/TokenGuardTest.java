package io.jpm.verticle;

import static io.jpm.verticle.TokenGuard.Verdict.ALLOWED;
import static io.jpm.verticle.TokenGuard.Verdict.NO_TOKEN;
import static io.jpm.verticle.TokenGuard.Verdict.READ_ONLY;
import static io.jpm.verticle.TokenGuard.Verdict.WRONG_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.Addresses;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class TokenGuardTest {
    private static final String ADMIN = "admin-5f1c9e";
    private static final String READER = "reader-77ab01";
    private final TokenGuard guard = new TokenGuard(ADMIN, READER);

    @Test
    void adminMayDoEverything() {
        for (String type : new String[] {"send", "publish", "register", "unregister"}) {
            for (String address : new String[] {
                Addresses.CMD_START, Addresses.CMD_KILL, Addresses.QUERY_LIST, Addresses.EVENTS_PROCESS
            }) {
                assertEquals(ALLOWED, guard.check(type, address, ADMIN), type + " " + address);
            }
        }
    }

    @Test
    void readOnlyMaySendQueries() {
        assertEquals(ALLOWED, guard.check("send", Addresses.QUERY_LIST, READER));
        assertEquals(ALLOWED, guard.check("send", Addresses.QUERY_DESCRIBE, READER));
        assertEquals(ALLOWED, guard.check("send", Addresses.QUERY_PING, READER));
    }

    /** In a cluster: a read-only token may list every host, only the admin token acts on another host. */
    @Test
    void readOnlyMayQueryAnotherHostButNotCommandIt() {
        assertEquals(ALLOWED, guard.check("send", Addresses.QUERY_CLUSTER_LIST, READER));
        assertEquals(ALLOWED, guard.check("send", Addresses.onHost("web-2", Addresses.QUERY_LIST), READER));
        assertEquals(READ_ONLY, guard.check("send", Addresses.onHost("web-2", Addresses.CMD_RESTART), READER));
        assertEquals(READ_ONLY, guard.check("publish", Addresses.onHost("web-2", Addresses.CMD_STOP), READER));
        assertEquals(ALLOWED, guard.check("send", Addresses.onHost("web-2", Addresses.CMD_RESTART), ADMIN));
    }

    @Test
    void readOnlyMayRegisterForEvents() {
        assertEquals(ALLOWED, guard.check("register", Addresses.EVENTS_PROCESS, READER));
        assertEquals(ALLOWED, guard.check("register", Addresses.EVENTS_METRICS, READER));
        assertEquals(ALLOWED, guard.check("unregister", Addresses.EVENTS_PROCESS, READER));
    }

    @Test
    void readOnlyMayNotSendOrPublishCommands() {
        for (String address : new String[] {
            Addresses.CMD_START,
            Addresses.CMD_STOP,
            Addresses.CMD_RESTART,
            Addresses.CMD_RELOAD,
            Addresses.CMD_DELETE,
            Addresses.CMD_RESET,
            Addresses.CMD_SIGNAL,
            Addresses.CMD_KILL
        }) {
            assertEquals(READ_ONLY, guard.check("send", address, READER), address);
            assertEquals(READ_ONLY, guard.check("publish", address, READER), address);
        }
    }

    @Test
    void wrongToken() {
        assertEquals(WRONG_TOKEN, guard.check("send", Addresses.QUERY_LIST, "guess"));
        assertEquals(WRONG_TOKEN, guard.check("register", Addresses.EVENTS_PROCESS, ADMIN + "x"));
        assertEquals(WRONG_TOKEN, guard.check("send", Addresses.CMD_STOP, ADMIN.substring(1)));
        assertEquals(WRONG_TOKEN, guard.check("send", Addresses.CMD_STOP, ADMIN.toUpperCase()));
    }

    @Test
    void noToken() {
        assertEquals(NO_TOKEN, guard.check("send", Addresses.QUERY_LIST, null));
        assertEquals(NO_TOKEN, guard.check("send", Addresses.CMD_STOP, ""));
        assertEquals(NO_TOKEN, guard.check("register", Addresses.EVENTS_PROCESS, null));
    }

    /** A read-only query is marked so God withholds env values; the mark overwrites what the client claimed. */
    @Test
    void theReadOnlyTokensQueriesAreMarked() {
        assertTrue(guard.isReadOnly(READER));
        assertFalse(guard.isReadOnly(ADMIN));
        assertFalse(guard.isReadOnly("wrong"));
        assertFalse(guard.isReadOnly(null));
        assertEquals(
                "read-only",
                TokenGuard.markReadOnly(new JsonObject().put("access", "admin")).getString("access"));
        assertEquals("read-only", TokenGuard.markReadOnly(null).getString("access"));
        assertEquals(
                "x", TokenGuard.markReadOnly(new JsonObject().put("view", "x")).getString("view"));
    }
}
