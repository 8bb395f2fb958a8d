package io.jpm.serve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Checks an {@code Authorization: Basic ...} header against the configured credentials. Both sides
 * are hashed before {@link MessageDigest#isEqual} compares them, so the time taken says nothing
 * about how much of a guess was right, not even its length; user and password are both always
 * compared. The password is split at the first colon (RFC 7617); pm2 splits at every colon, so a
 * password holding one never matches there.
 */
final class BasicAuth {
    /** pm2's challenge, word for word. */
    static final String CHALLENGE = "Basic realm=\"Authentication service\"";

    private final byte[] username;
    private final byte[] password;

    BasicAuth(ServeOptions.Credentials credentials) {
        this.username = sha256(credentials.username());
        this.password = sha256(credentials.password());
    }

    /** Whether the header carries the right user and password; false for any malformed header. */
    boolean accepts(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String plain;
        try {
            plain = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = plain.indexOf(':');
        if (colon < 0) {
            return false;
        }
        boolean user = MessageDigest.isEqual(username, sha256(plain.substring(0, colon)));
        boolean pass = MessageDigest.isEqual(password, sha256(plain.substring(colon + 1)));
        return user & pass;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
