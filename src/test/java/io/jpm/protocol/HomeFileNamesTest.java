package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HomeFileNamesTest {
    @Test
    void unsetIsJpmsNamesAndPm2GivesPm2s() {
        assertEquals(HomeFileNames.JPM, HomeFileNames.of(null));
        assertEquals(HomeFileNames.JPM, HomeFileNames.of(""));
        assertEquals(HomeFileNames.JPM, HomeFileNames.of("jpm"));
        assertEquals(HomeFileNames.PM2, HomeFileNames.of("pm2"));
        assertEquals(HomeFileNames.PM2, HomeFileNames.of(" PM2 "));
        JpmHome pm2 = new JpmHome(Path.of("/h/.pm2"), HomeFileNames.PM2);
        assertEquals(Path.of("/h/.pm2/pm2.pid"), pm2.pidFile());
        assertEquals(Path.of("/h/.pm2/dump.pm2"), pm2.dump());
        JpmHome jpm = new JpmHome(Path.of("/h/.jpm"));
        assertEquals(Path.of("/h/.jpm/jpm.pid"), jpm.pidFile());
        assertEquals(Path.of("/h/.jpm/dump.json"), jpm.dump());
    }

    @Test
    void anotherWordIsRefusedNamingTheVariableAndWhatItTakes() {
        JpmException e = assertThrows(JpmException.class, () -> HomeFileNames.of("pm3"));
        assertEquals(JpmError.INVALID_ARGUMENT, e.error());
        assertEquals("JPM_FILE_NAMES=pm3: jpm (jpm.pid, dump.json) or pm2 (pm2.pid, dump.pm2)", e.getMessage());
    }
}
