package io.jpm.verticle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.testkit.LoggedLines;
import java.util.List;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class RefusalLogTest {
    @Test
    void aWindowLogsItsShareAndCountsTheRestInOneLineAtTheNext() {
        Logger logger = Logger.getLogger("jpm.test.refusals");
        logger.setUseParentHandlers(false);
        try (LoggedLines logged = LoggedLines.of(logger.getName())) {
            long[] now = {0};
            RefusalLog log = new RefusalLog(logger, "bridge", () -> now[0]);
            for (int i = 0; i < 1000; i++) {
                log.refused(() -> "refused one");
            }
            assertEquals(RefusalLog.LINES_PER_WINDOW, logged.all().size());
            now[0] = RefusalLog.WINDOW_MS;
            log.refused(() -> "refused again");
            List<String> lines = logged.all();
            assertEquals("bridge: 980 more refusals not logged in 10 s", lines.get(RefusalLog.LINES_PER_WINDOW));
            assertEquals("refused again", lines.get(lines.size() - 1));
        }
    }
}
