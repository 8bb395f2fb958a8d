package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LogrotateKeysTest {
    private static JsonObject logrotate(String json) {
        return new JsonObject().put("pm2-logrotate", new JsonObject(json));
    }

    @Test
    void maxSizeRetainAndCompressAreJpmsLogSettings() {
        LogrotateKeys.Effect effect = LogrotateKeys.effect(
                new JsonObject(), logrotate("{\"max_size\":\"10M\",\"retain\":\"5\",\"compress\":\"true\"}"));
        assertEquals(Map.of("logs.max_size", "10M", "logs.retain", 5, "logs.compress", true), effect.settings());
        assertEquals(List.of(), effect.notes());
    }

    @Test
    void onlyWhatChangedIsApplied() {
        JsonObject before = logrotate("{\"max_size\":\"10M\",\"retain\":\"5\"}");
        LogrotateKeys.Effect effect =
                LogrotateKeys.effect(before, logrotate("{\"max_size\":\"10M\",\"retain\":\"7\"}"));
        assertEquals(Map.of("logs.retain", 7), effect.settings());
        assertEquals(
                Map.of(),
                LogrotateKeys.effect(before, before.copy().put("other", new JsonObject().put("a", "b")))
                        .settings());
    }

    @Test
    void aKeyRemovedGivesItsDefaultBack() {
        Map<String, Object> unset = new HashMap<>();
        unset.put("logs.max_size", null);
        unset.put("logs.retain", null);
        assertEquals(
                unset,
                LogrotateKeys.effect(logrotate("{\"max_size\":\"10M\",\"retain\":\"5\"}"), new JsonObject())
                        .settings());
    }

    @Test
    void aRotateIntervalCronAtAFixedPeriodIsThatPeriod() {
        assertEquals(Optional.of("1d"), LogrotateKeys.period("0 0 * * *"));
        assertEquals(Optional.of("15m"), LogrotateKeys.period("*/15 * * * *"));
        assertEquals(Optional.of("1m"), LogrotateKeys.period("*/1 * * * *"));
        assertEquals(Optional.of("6h"), LogrotateKeys.period("0 */6 * * *"));
        assertEquals(Optional.of("7d"), LogrotateKeys.period("0 0 * * 0"));
        assertEquals(Optional.of("30s"), LogrotateKeys.period("*/30 * * * * *"));
        assertEquals(Optional.empty(), LogrotateKeys.period("*/7 * * * *"), "7 minutes, then 4 at the hour");
        assertEquals(Optional.empty(), LogrotateKeys.period("0 0 1 * *"), "months differ in length");
        assertEquals(
                Map.of("logs.rotate_interval", "1d"),
                LogrotateKeys.effect(new JsonObject(), logrotate("{\"rotateInterval\":\"0 0 * * *\"}"))
                        .settings());
    }

    @Test
    void aRotateIntervalWithoutAPeriodChangesNothingAndSaysSo() {
        LogrotateKeys.Effect effect =
                LogrotateKeys.effect(new JsonObject(), logrotate("{\"rotateInterval\":\"0 0 1 * *\"}"));
        assertEquals(Map.of(), effect.settings());
        assertTrue(
                effect.notes().get(0).contains("does not fire at a fixed period"),
                effect.notes().toString());
        JpmException e = assertThrows(
                JpmException.class,
                () -> LogrotateKeys.effect(new JsonObject(), logrotate("{\"rotateInterval\":\"every day\"}")));
        assertTrue(e.getMessage().startsWith("pm2-logrotate:rotateInterval must be a cron"), e.getMessage());
    }

    @Test
    void keysWithoutACounterpartAreKeptAndSaidToBeWithoutEffect() {
        LogrotateKeys.Effect effect = LogrotateKeys.effect(
                new JsonObject(), logrotate("{\"dateFormat\":\"YYYY\",\"workerInterval\":\"30\"}"));
        assertEquals(Map.of(), effect.settings());
        assertEquals(2, effect.notes().size());
        assertTrue(
                effect.notes().get(0).startsWith("pm2-logrotate:dateFormat has no counterpart"),
                effect.notes().toString());
    }
}
