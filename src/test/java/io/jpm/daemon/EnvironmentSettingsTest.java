package io.jpm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** pm2's PM2_PID_FILE_PATH and PM2_KILL_USE_MESSAGE, read under jpm's names first. */
class EnvironmentSettingsTest {
    private static final Path CWD = Path.of("/srv/app");

    @Test
    void pm2sNamesAreReadAndJpmsWin() {
        EnvironmentSettings pm2 =
                EnvironmentSettings.of(Map.of("PM2_PID_FILE_PATH", "/run/god.pid", "PM2_KILL_USE_MESSAGE", "1"), CWD);
        assertEquals(Path.of("/run/god.pid"), pm2.pidFile());
        assertTrue(pm2.killUseMessage());
        EnvironmentSettings both = EnvironmentSettings.of(
                Map.of(
                        "PM2_PID_FILE_PATH",
                        "/run/god.pid",
                        "JPM_PID_FILE_PATH",
                        "/run/jpm.pid",
                        "PM2_KILL_USE_MESSAGE",
                        "true",
                        "JPM_KILL_USE_MESSAGE",
                        "false"),
                CWD);
        assertEquals(Path.of("/run/jpm.pid"), both.pidFile());
        assertFalse(both.killUseMessage());
    }

    @Test
    void aRelativePidFileIsTakenFromWhereTheDaemonStarted() {
        assertEquals(
                Path.of("/srv/app/run/daemon.pid"),
                EnvironmentSettings.of(Map.of("PM2_PID_FILE_PATH", "run/daemon.pid"), CWD)
                        .pidFile());
    }

    @Test
    void unsetOrOffMeansNone() {
        EnvironmentSettings none = EnvironmentSettings.of(Map.of(), CWD);
        assertNull(none.pidFile());
        assertFalse(none.killUseMessage());
        for (String off : new String[] {"", "0", "false", "No", "OFF"}) {
            assertFalse(
                    EnvironmentSettings.of(Map.of("PM2_KILL_USE_MESSAGE", off), CWD)
                            .killUseMessage(),
                    off);
        }
        assertNull(EnvironmentSettings.of(Map.of("PM2_PID_FILE_PATH", ""), CWD).pidFile());
    }
}
