package io.jpm.verticle;

import io.jpm.protocol.Access;
import io.jpm.protocol.Addresses;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Decides whether a bridge frame may pass: the admin token may do everything; the read-only token
 * may send queries and register for events, never send a command (here or, in a cluster, to another
 * host). Tokens are compared in constant time. Shared by the two doors: the TCP bridge and the HTTP
 * server ({@code io.jpm.web}).
 */
public final class TokenGuard {
    /** Why a frame was refused, or {@link #ALLOWED}. */
    public enum Verdict {
        ALLOWED,
        NO_TOKEN,
        WRONG_TOKEN,
        READ_ONLY
    }

    private final byte[] admin;
    private final byte[] readOnly;

    public TokenGuard(String admin, String readOnly) {
        this.admin = admin.getBytes(StandardCharsets.UTF_8);
        this.readOnly = readOnly.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code token} is one of the two: a connection that shows it has authenticated. */
    public boolean knows(String token) {
        Verdict verdict = check("register", null, token);
        return verdict == Verdict.ALLOWED;
    }

    /**
     * @param type the bridge frame type: send, publish, register, unregister
     * @param address the frame's address
     * @param token the token header, null when absent
     */
    public Verdict check(String type, String address, String token) {
        if (token == null || token.isEmpty()) {
            return Verdict.NO_TOKEN;
        }
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(given, admin)) {
            return Verdict.ALLOWED;
        }
        if (!MessageDigest.isEqual(given, readOnly)) {
            return Verdict.WRONG_TOKEN;
        }
        boolean changesState = address != null && Addresses.isCommand(address);
        boolean writes = "send".equals(type) || "publish".equals(type);
        return changesState && writes ? Verdict.READ_ONLY : Verdict.ALLOWED;
    }

    /**
     * Whether an allowed request came with the read-only token (not the admin one): its queries are
     * marked {@code "access": "read-only"} ({@link Access}).
     */
    public boolean isReadOnly(String token) {
        return token != null
                && !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), admin)
                && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), readOnly);
    }

    /**
     * Marks a query's body as the read-only token's, overwriting any {@code access} the client put
     * there; a body that is no object (none at all included) becomes one holding only the mark.
     *
     * @return the body to send on
     */
    public static JsonObject markReadOnly(Object body) {
        JsonObject marked = body instanceof JsonObject object ? object : new JsonObject();
        return marked.put(Access.FIELD, Access.READ_ONLY);
    }
}
