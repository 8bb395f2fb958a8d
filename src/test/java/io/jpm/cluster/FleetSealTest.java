package io.jpm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.ClusterKeys;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * A fleet definition opens only under the secret it was sealed with and only as the app it was
 * sealed for; a changed byte, another secret or another name opens nothing (a member then runs
 * nothing of it).
 */
class FleetSealTest {
    private final FleetSeal seal = new FleetSeal(ClusterKeys.fleetKey("the cluster's secret"));

    @Test
    void aDefinitionOpensAsSealedAndItsTextIsNotInTheValue() {
        String json = "{\"name\":\"api\",\"app\":{\"env\":{\"DB_PASSWORD\":\"hunter2\"}}}";
        String sealed = seal.seal("api", json);
        assertEquals(json, seal.open("api", sealed).orElseThrow());
        assertFalse(new String(Base64.getDecoder().decode(sealed)).contains("hunter2"));
        assertNotEquals(sealed, seal.seal("api", json), "a fresh nonce each time");
    }

    @Test
    void anotherSecretAnotherNameOrAChangedByteOpensNothing() {
        String sealed = seal.seal("api", "{}");
        assertTrue(new FleetSeal(ClusterKeys.fleetKey("another secret"))
                .open("api", sealed)
                .isEmpty());
        assertTrue(seal.open("worker", sealed).isEmpty(), "moved to another app's entry");
        byte[] bytes = Base64.getDecoder().decode(sealed);
        bytes[bytes.length - 1] ^= 1;
        assertTrue(seal.open("api", Base64.getEncoder().encodeToString(bytes)).isEmpty());
        assertTrue(seal.open("api", "not base64 !").isEmpty());
        assertTrue(seal.open("api", "").isEmpty());
    }
}
