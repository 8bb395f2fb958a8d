package io.jpm.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.cli.transport.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SupervisionLinesTest {
    private static Json.Value reply(String json) throws IOException {
        return Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eachNoteIsOneJpmLineUnderTheTable() throws IOException {
        assertEquals(
                List.of(
                        "[jpm] apps restarted after a daemon crash: 3 (could not adopt: state.json was missing;"
                                + " restored from dump.json)",
                        "[jpm] the daemon crashed 4 times in a row and its keeper gave up at 2026-11-24 12:00:00"),
                SupervisionLines.of(reply("{\"notes\":[\"apps restarted after a daemon crash: 3 (could not adopt:"
                        + " state.json was missing; restored from dump.json)\",\"the daemon crashed 4 times in a row"
                        + " and its keeper gave up at 2026-11-24 12:00:00\\n\"]}")));
    }

    @Test
    void noNotesNoLines() throws IOException {
        assertEquals(List.of(), SupervisionLines.of(reply("{\"notes\":[]}")));
        assertEquals(List.of(), SupervisionLines.of(reply("{}")));
    }
}
