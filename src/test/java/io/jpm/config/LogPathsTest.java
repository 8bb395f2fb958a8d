package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** pm2's log file rules (Common.js prepareAppConf, God.js executeApp). */
class LogPathsTest {
    private static final Path LOGS = Path.of("/h/logs");

    private static LogPaths paths(String json, int pmId) {
        AppConfig c = new AppConfigParser("test", Path.of("/bin"), Map.of("PATH", "/bin:/usr/bin"))
                .parse(new JsonObject(json), null);
        return LogPaths.of(c, LOGS, pmId);
    }

    @Test
    void aForkAppWithoutInstancesIsMergedUnderItsMangledName() {
        LogPaths p = paths("{\"script\":\"sh\",\"name\":\"my app_1.x\"}", 3);
        assertEquals("/h/logs/my-app-1.x-out.log", p.out());
        assertEquals("/h/logs/my-app-1.x-error.log", p.err());
        assertNull(p.log());
    }

    @Test
    void instancesGetTheirPmIdUnlessMerged() {
        assertEquals(
                "/h/logs/a-out-4.log",
                paths("{\"script\":\"sh\",\"name\":\"a\",\"instances\":2}", 4).out());
        assertEquals(
                "/h/logs/a-out-4.log",
                paths("{\"script\":\"sh\",\"name\":\"a\",\"instances\":1}", 4).out());
        assertEquals(
                "/h/logs/a-out.log",
                paths("{\"script\":\"sh\",\"name\":\"a\",\"instances\":2,\"merge_logs\":true}", 4)
                        .out());
        assertEquals(
                "/h/logs/a-out-4.log",
                paths("{\"script\":\"sh\",\"name\":\"a\",\"merge_logs\":false}", 4)
                        .out());
        // pm2 replaces a number already there, and leaves a path without .log alone
        assertEquals(
                "/t/x-4.log",
                paths("{\"script\":\"sh\",\"instances\":2,\"out_file\":\"/t/x-7.log\"}", 4)
                        .out());
        assertEquals(
                "/t/x.txt",
                paths("{\"script\":\"sh\",\"instances\":2,\"out_file\":\"/t/x.txt\"}", 4)
                        .out());
    }

    @Test
    void logFileNullAndRelativePaths() {
        LogPaths p = paths(
                "{\"script\":\"sh\",\"name\":\"a\",\"log_file\":true,\"error_file\":\"NULL\",\"out_file\":\"o/out.log\",\"cwd\":\"/tmp\"}",
                0);
        assertEquals("/h/logs/a.log", p.log());
        assertEquals("/dev/null", p.err());
        assertEquals("/tmp/o/out.log", p.out());
        assertEquals(
                "/tmp/both.log",
                paths("{\"script\":\"sh\",\"log_file\":\"both.log\",\"cwd\":\"/tmp\"}", 0)
                        .log());
        assertEquals(
                "/dev/null",
                paths("{\"script\":\"sh\",\"out_file\":\"/dev/null\"}", 0).out());
    }

    @Test
    void badLogOptionsNameTheAppAndTheOption() {
        for (String[] bad : new String[][] {
            {"\"log_date_format\":3", "log_date_format"},
            {"\"log_type\":1", "log_type"},
            {"\"max_size\":\"ten\"", "max_size"},
            {"\"retain\":0", "retain"},
            {"\"merge_logs\":\"yes\"", "merge_logs"},
            {"\"compress\":1", "compress"},
            {"\"rotate_interval\":\"soon\"", "rotate_interval"},
            {"\"log_file\":3", "log_file"}
        }) {
            JpmException e = assertThrows(
                    JpmException.class, () -> paths("{\"script\":\"sh\",\"name\":\"w\"," + bad[0] + "}", 0));
            assertTrue(e.getMessage().startsWith("test: app 'w': option '" + bad[1] + "' "), e.getMessage());
        }
    }

    @Test
    void rotationSizesAndSettings() {
        assertEquals(10L * 1024 * 1024, LogRotationPolicy.size("max_size", "10M"));
        assertEquals(500L * 1024, LogRotationPolicy.size("max_size", "500KB"));
        assertEquals(1234, LogRotationPolicy.size("max_size", 1234));
        LogRotationPolicy p = LogRotationPolicy.fromSettings(new JsonObject()
                .put("max_size", "1G")
                .put("retain", 3)
                .put("compress", true)
                .put("rotate_interval", "1d"));
        assertEquals(new LogRotationPolicy(1L << 30, 3, true, 86_400_000L), p);
        assertEquals(LogRotationPolicy.defaults(), LogRotationPolicy.fromSettings(null));
        assertEquals(new LogRotationPolicy(5, 3, true, 86_400_000L), p.with(5L, null, null, null));
    }

    @Test
    void theSettingsFilesLogsSectionIsChecked() {
        DaemonSettings.parse("jpm.json", "{\"logs\":{\"max_size\":\"1M\",\"retain\":3}}");
        JpmException unknown =
                assertThrows(JpmException.class, () -> DaemonSettings.parse("jpm.json", "{\"logs\":{\"maxsize\":1}}"));
        assertTrue(
                unknown.getMessage().startsWith("jpm.json: logs: option 'maxsize' is not a known option"),
                unknown.getMessage());
        JpmException bad =
                assertThrows(JpmException.class, () -> DaemonSettings.parse("jpm.json", "{\"logs\":{\"retain\":0}}"));
        assertTrue(
                bad.getMessage().startsWith("jpm.json: logs: option 'retain' must be a whole number"),
                bad.getMessage());
    }
}
