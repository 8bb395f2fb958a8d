package io.jpm.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The logs of {@code api@web-2} for a fleet app: its describe lists every member's instances, each
 * with its host; only web-2's files are asked of web-2 (which refuses any other as none of its apps').
 */
class FleetLogTargetTest {
    private static JsonObject instance(int pmId, String host) {
        JsonObject p = new JsonObject().put("name", "api").put("pm_id", pmId);
        return host == null ? p : p.put("host", host);
    }

    @Test
    void aFleetAppsInstancesOnOtherMembersAreLeftOut() {
        JsonArray fleet = new JsonArray()
                .add(instance(1, "web-1"))
                .add(instance(1, "web-2"))
                .add(instance(2, "web-2"))
                .add(instance(1, "web-3"));
        assertEquals(
                new JsonArray().add(instance(1, "web-2")).add(instance(2, "web-2")), ApiRoutes.onlyOn("web-2", fleet));
        assertEquals(fleet, ApiRoutes.onlyOn(null, fleet), "this host's target: as described");
    }

    @Test
    void anAppOfOneMemberHasNoHostAndIsKept() {
        JsonArray plain = new JsonArray().add(instance(0, null)).add(instance(1, null));
        assertEquals(plain, ApiRoutes.onlyOn("web-2", plain));
    }
}
