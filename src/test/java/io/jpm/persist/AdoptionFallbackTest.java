package io.jpm.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdoptionFallbackTest {
    private static final JsonObject KEEPER =
            new JsonObject().put("keeper", 42).put("subreaper", true).put("held", new JsonObject().put("out:7:123", 9));

    @Test
    void aLostStateIsNamed() {
        assertEquals(
                Optional.of("apps restarted after a daemon crash: 2 (could not adopt: state.json was missing;"
                        + " restored from dump.json)"),
                AdoptionFallback.note(2, KEEPER, "dump.json", true));
    }

    @Test
    void noKeeperNoSubreaperAndNothingHeldAreNamed() {
        assertEquals(
                Optional.of("apps restarted after a daemon crash: 1 (could not adopt: this daemon runs without a keeper"
                        + " (JPM_KEEPER=0, or no perl))"),
                AdoptionFallback.note(1, new JsonObject().put("keeper", 0), "state.json", true));
        assertEquals(
                Optional.of("apps restarted after a daemon crash: 1 (could not adopt: its keeper cannot be the apps'"
                        + " subreaper on this system)"),
                AdoptionFallback.note(1, KEEPER.copy().put("subreaper", false), "state.json", true));
        assertEquals(
                Optional.of("apps restarted after a daemon crash: 1 (could not adopt: no keeper held their pipes (the"
                        + " previous daemon ran without one, or its keeper had ended))"),
                AdoptionFallback.note(1, KEEPER.copy().put("held", new JsonObject()), "state.json", true));
    }

    @Test
    void withTheKeeperAndTheRecordThereIsNothingToSay() {
        // the runs not adopted had ended: their policy restarts them
        assertEquals(Optional.empty(), AdoptionFallback.note(1, KEEPER, "state.json", true));
        assertEquals(Optional.empty(), AdoptionFallback.note(0, new JsonObject(), "dump.json", true));
        // an update that could not adopt says so itself
        assertEquals(Optional.empty(), AdoptionFallback.note(3, new JsonObject(), "handover.json", true));
    }
}
