package io.jpm.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.cli.transport.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpdateOutcomeTest {
    @Test
    void theSamePidUnderAPmIdIsAnAdoptionAnotherOneARestart() {
        Map<Integer, Long> before = Map.of(0, 100L, 1, 101L, 2, 102L);
        Map<Integer, Long> after = Map.of(0, 100L, 1, 201L, 2, 102L);
        assertEquals(
                "[jpm] adopted 2, restarted 1", UpdateOutcome.of(before, after).line());
    }

    @Test
    void aRunThatIsGoneAfterwardsCountsAsRestartedAndAStoppedOneAsNeither() throws Exception {
        Json.Value list =
                Json.parse(("[{\"pm_id\":0,\"pid\":100},{\"pm_id\":1,\"pid\":0},{\"pm_id\":\"_old_2\",\"pid\":7}]")
                        .getBytes(StandardCharsets.UTF_8));
        Map<Integer, Long> before = UpdateOutcome.pids(list);
        assertEquals(Map.of(0, 100L), before);
        assertEquals(new UpdateOutcome(0, 1), UpdateOutcome.of(before, Map.of()));
    }
}
