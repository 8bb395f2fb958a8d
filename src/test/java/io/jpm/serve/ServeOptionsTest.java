package io.jpm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeOptionsTest {
    @TempDir
    Path dir;

    private ServeOptions read(Map<String, String> env, String... args) {
        return ServeOptions.read(env, List.of(args), dir);
    }

    private String refused(Map<String, String> env, String... args) {
        return assertThrows(IllegalArgumentException.class, () -> read(env, args))
                .getMessage();
    }

    @Test
    void pm2DefaultsServeTheCurrentFolderOnPort8080ButOnLoopbackOnly() {
        ServeOptions options = read(Map.of());
        assertEquals(dir.toAbsolutePath().normalize(), options.path());
        assertEquals(8080, options.port());
        assertEquals("127.0.0.1", options.host(), "pm2: 0.0.0.0; jpm opens no door to other hosts unless told");
        assertEquals("/index.html", options.homepage());
        assertFalse(options.spa());
        assertFalse(options.listing());
        assertNull(options.auth());
    }

    @Test
    void argumentsArePathPortHostAsInServeJs() throws IOException {
        Files.createDirectories(dir.resolve("site"));
        ServeOptions options = read(Map.of(), "site", "9000", "127.0.0.1");
        assertEquals(dir.resolve("site"), options.path());
        assertEquals(9000, options.port());
        assertEquals("127.0.0.1", options.host());
    }

    @Test
    void variablesWinOverArguments() throws IOException {
        Path site = Files.createDirectories(dir.resolve("site"));
        ServeOptions options = read(
                Map.of("PM2_SERVE_PATH", site.toString(), "PM2_SERVE_PORT", "9001", "PM2_SERVE_HOST", "::1"),
                "elsewhere",
                "9000",
                "127.0.0.1");
        assertEquals(site, options.path());
        assertEquals(9001, options.port());
        assertEquals("::1", options.host());
    }

    @Test
    void anEmptyVariableCountsAsUnset() {
        assertEquals(9000, read(Map.of("PM2_SERVE_PORT", ""), ".", "9000").port());
    }

    @Test
    void spaFtpAndHomepageAreReadAsPm2Does() {
        ServeOptions options =
                read(Map.of("PM2_SERVE_SPA", "true", "PM2_SERVE_FTP", "true", "PM2_SERVE_HOMEPAGE", "app.html"));
        assertTrue(options.spa());
        assertTrue(options.listing());
        assertEquals("/app.html", options.homepage());
        // pm2 compares with the string 'true': anything else is off
        assertFalse(read(Map.of("PM2_SERVE_SPA", "yes")).spa());
    }

    /** jpm's additions: links stay inside and no CORS header by default; each is opted into. */
    @Test
    void symlinksAndCorsAreOptIn() {
        ServeOptions plain = read(Map.of());
        assertFalse(plain.followSymlinks());
        assertNull(plain.corsOrigin());
        ServeOptions open = read(Map.of("PM2_SERVE_FOLLOW_SYMLINKS", "true", "PM2_SERVE_CORS", "*"));
        assertTrue(open.followSymlinks());
        assertEquals("*", open.corsOrigin());
        assertEquals(
                "https://app.example:8443",
                read(Map.of("PM2_SERVE_CORS", "https://app.example:8443")).corsOrigin());
        assertEquals(
                "PM2_SERVE_CORS must be * or an origin like https://example.com (scheme, host, port), got 'evil\r\nX: y'",
                refused(Map.of("PM2_SERVE_CORS", "evil\r\nX: y")));
    }

    @Test
    void basicAuthNeedsTheFlagAndBothCredentials() {
        ServeOptions options = read(Map.of(
                "PM2_SERVE_BASIC_AUTH",
                "true",
                "PM2_SERVE_BASIC_AUTH_USERNAME",
                "ann",
                "PM2_SERVE_BASIC_AUTH_PASSWORD",
                "s:cret"));
        assertEquals(new ServeOptions.Credentials("ann", "s:cret"), options.auth());
        assertFalse(options.auth().toString().contains("s:cret"), "the password stays out of logs");
        assertNull(read(Map.of("PM2_SERVE_BASIC_AUTH_USERNAME", "ann", "PM2_SERVE_BASIC_AUTH_PASSWORD", "x"))
                .auth());
        assertEquals(
                "PM2_SERVE_BASIC_AUTH is true but PM2_SERVE_BASIC_AUTH_PASSWORD is empty",
                refused(Map.of("PM2_SERVE_BASIC_AUTH", "true", "PM2_SERVE_BASIC_AUTH_USERNAME", "ann")));
        assertTrue(refused(Map.of(
                        "PM2_SERVE_BASIC_AUTH",
                        "true",
                        "PM2_SERVE_BASIC_AUTH_USERNAME",
                        "a:b",
                        "PM2_SERVE_BASIC_AUTH_PASSWORD",
                        "x"))
                .contains("cannot contain ':'"));
    }

    @Test
    void aPortMustBeAWholeNumberFrom1To65535() {
        assertEquals(
                "PM2_SERVE_PORT must be a port number from 1 to 65535, got 'abc'",
                refused(Map.of("PM2_SERVE_PORT", "abc")));
        assertEquals("port must be a port number from 1 to 65535, got '0'", refused(Map.of(), ".", "0"));
        assertTrue(refused(Map.of(), ".", "65536").contains("got '65536'"));
        assertTrue(refused(Map.of(), ".", "-1").contains("got '-1'"));
        assertTrue(refused(Map.of(), ".", "80.5").contains("got '80.5'"));
        assertEquals(65535, read(Map.of(), ".", "65535").port());
    }

    @Test
    void thePathMustBeAFolder() throws IOException {
        assertEquals("path 'missing' is not a folder (no such file or folder)", refused(Map.of(), "missing"));
        Files.writeString(dir.resolve("file.txt"), "x");
        assertEquals("PM2_SERVE_PATH 'file.txt' is not a folder", refused(Map.of("PM2_SERVE_PATH", "file.txt")));
    }
}
