package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A part of pm2_env is built by its keys' names, written by its key table and read back the same. */
class Pm2KeysTest {
    private static Pm2EnvPolicy policy() {
        return Pm2EnvPolicy.KEYS
                .builder()
                .with(Pm2EnvPolicy.AUTORESTART, true)
                .with(Pm2EnvPolicy.MAX_RESTARTS, 16)
                .with(Pm2EnvPolicy.MIN_UPTIME, 1000L)
                .with(Pm2EnvPolicy.RESTART_DELAY, 0L)
                .with(Pm2EnvPolicy.EXP_BACKOFF_RESTART_DELAY, 100L)
                .with(Pm2EnvPolicy.KILL_TIMEOUT, 1600L)
                .with(Pm2EnvPolicy.STOP_EXIT_CODES, List.of(0))
                .build();
    }

    @Test
    void eachValueLandsUnderItsOwnKeyAndReadsBack() {
        ProcessViewWriter row = new ProcessViewWriter(false);
        Pm2EnvPolicy.KEYS.write(policy(), row, Pm2Key.Pass.EVERY_APP);
        Map<String, Object> written = new LinkedHashMap<>(row.map());
        assertEquals(1600L, written.get("kill_timeout"));
        assertEquals(1000L, written.get("min_uptime"));
        assertEquals(100L, written.get("exp_backoff_restart_delay"));
        assertEquals(policy(), Pm2EnvPolicy.KEYS.read(Fields.of(written)));
    }

    @Test
    void aPartWithAKeyNotGivenIsRefusedNamingTheKey() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Pm2EnvPolicy.KEYS
                .builder()
                .with(Pm2EnvPolicy.AUTORESTART, true)
                .build());
        assertEquals("pm2_env.max_restarts was not given", refused.getMessage());
    }

    @Test
    void aKeyListedOnlyWhenSetIsWrittenAfterEveryAppsKeys() {
        Pm2EnvFacts facts = facts(null);
        ProcessViewWriter every = new ProcessViewWriter(false);
        Pm2EnvFacts.KEYS.write(facts, every, Pm2Key.Pass.EVERY_APP);
        assertEquals(
                List.of("version", "unique_id", "username"),
                List.copyOf(every.map().keySet()));
        ProcessViewWriter whenSet = new ProcessViewWriter(false);
        Pm2EnvFacts.KEYS.write(facts, whenSet, Pm2Key.Pass.WHEN_SET);
        assertEquals(Map.of(), whenSet.map());
        Pm2EnvFacts.KEYS.write(facts("v20.0.0"), whenSet, Pm2Key.Pass.WHEN_SET);
        assertEquals(Map.of("node_version", "v20.0.0"), whenSet.map());
    }

    private static Pm2EnvFacts facts(String nodeVersion) {
        return Pm2EnvFacts.KEYS
                .builder()
                .with(Pm2EnvFacts.VERSION, "1.0.0")
                .with(Pm2EnvFacts.UNIQUE_ID, "u")
                .with(Pm2EnvFacts.USERNAME, "me")
                .with(Pm2EnvFacts.NODE_VERSION, nodeVersion)
                .build();
    }
}
