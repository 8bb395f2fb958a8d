package io.jpm.serve;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BasicAuthTest {
    private final BasicAuth auth = new BasicAuth(new ServeOptions.Credentials("ann", "pa:ss"));

    private static String header(String plain) {
        return "Basic " + Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theRightUserAndPasswordGetIn() {
        assertTrue(auth.accepts(header("ann:pa:ss")), "the password is split at the first colon only");
        assertTrue(auth.accepts("basic " + header("ann:pa:ss").substring(6)), "the scheme is case-insensitive");
    }

    @Test
    void anythingElseIsRefused() {
        assertFalse(auth.accepts(null));
        assertFalse(auth.accepts(""));
        assertFalse(auth.accepts(header("ann:pa")));
        assertFalse(auth.accepts(header("ann:pa:ss ")));
        assertFalse(auth.accepts(header("bob:pa:ss")));
        assertFalse(auth.accepts(header("ann")));
        assertFalse(auth.accepts(header(":")));
        assertFalse(auth.accepts("Basic not-base64!"));
        assertFalse(auth.accepts("Bearer " + header("ann:pa:ss").substring(6)));
    }
}
