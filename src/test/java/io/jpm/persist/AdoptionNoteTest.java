package io.jpm.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.process.Signal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdoptionNoteTest {
    private static final Path STATE = Path.of("/home/me/.jpm/state.json");
    private static final Path BAK = Path.of("/home/me/.jpm/state.json.bak");

    private static JsonArray apps(String... names) {
        JsonArray apps = new JsonArray();
        for (String name : names) {
            apps.add(new JsonObject().put("name", name));
        }
        return apps;
    }

    private static AdoptionLeftovers.Group group(int pgid, String app, boolean inRecord) {
        return new AdoptionLeftovers.Group(pgid, app, Signal.SIGINT, 1600, inRecord);
    }

    @Test
    void aRecoveryAsPlannedLeavesNoNote() {
        assertEquals(
                List.of(),
                AdoptionNote.lines(new DumpFile.Read(apps("api"), STATE, null), null, List.of(group(10, "api", true))));
    }

    @Test
    void aDamagedRecordNamesTheFileTheOlderRecordUsedAndTheLeftoversItDoesNotName() {
        DumpFile.Read read = new DumpFile.Read(apps("one"), BAK, STATE + ": Unexpected end-of-input");
        assertEquals(
                List.of(
                        "after the previous daemon's crash, a damaged record (" + STATE
                                + ": Unexpected end-of-input): restored the older one in " + BAK
                                + " instead, 1 app(s) (one)",
                        "2 leftover process group(s) of the previous daemon that the record used (state.json.bak)"
                                + " does not name were stopped and not restarted: two-1 (pid 11), three-2 (pid 12);"
                                + " start them again (jpm start, or jpm resurrect from your dump)"),
                AdoptionNote.lines(
                        read,
                        null,
                        List.of(group(10, "one", true), group(11, "two-1", false), group(12, "three-2", false))));
    }

    @Test
    void noReadableRecordSaysWhyAndThatNothingWasRestored() {
        assertEquals(
                List.of(
                        "after the previous daemon's crash, no record could be read (no readable dump: ...):"
                                + " no app restored",
                        "1 leftover process group(s) of the previous daemon that no record names were stopped and"
                                + " not restarted: api-0 (pid 11); start them again (jpm start, or jpm resurrect from"
                                + " your dump)"),
                AdoptionNote.lines(null, "no readable dump: ...", List.of(group(11, "api-0", false))));
    }
}
