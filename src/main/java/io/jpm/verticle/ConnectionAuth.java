package io.jpm.verticle;

import io.jpm.protocol.JpmError;
import io.vertx.core.json.JsonObject;

/**
 * One connection's authentication, at either door that keeps connections (the TCP bridge, the HTTP
 * server's SockJS bridge). A connection is authenticated once any frame on it carried a
 * valid token in {@code headers.token}: from then on, for its life, a frame without a token acts
 * with that token (written into the frame's headers, so the door's own per-frame check sees it). That is what lets stock Vert.x clients, whose {@code register} has
 * no headers, subscribe after one request with the token. A frame that carries a token is still
 * checked on its own: a wrong one is refused, a read-only one acts read-only for that frame even on
 * an admin connection, and an admin one raises a read-only connection to admin (it has shown it).
 *
 * <p>A connection on the owner's Unix socket starts authenticated as admin: the socket's file
 * permissions are the credential (docs/SECURITY.md); a SockJS session whose handshake carried a valid {@code Authorization: Bearer}
 * token starts at that token's level ({@link #shown}).
 */
public final class ConnectionAuth {
    /** What a connection may do; ordered, a higher level includes the lower. */
    public enum Level {
        NONE,
        READ_ONLY,
        ADMIN
    }

    /** What becomes of a frame. */
    public sealed interface Outcome {}

    /** Goes on to the bridge; {@code rewritten}: the connection's token was put in its headers. */
    public record Pass(boolean rewritten) implements Outcome {}

    /** A ping before the connection authenticated: the guard answers it itself. */
    public record Pong() implements Outcome {}

    /** Refused with one err frame that says why; the connection stays open. */
    public record Refuse(String why, JpmError code) implements Outcome {}

    private final TokenGuard tokens;
    private Level level = Level.NONE;
    /** The token the connection authenticated with, held to stand for it in frames without one. */
    private String token;

    public ConnectionAuth(TokenGuard tokens) {
        this.tokens = tokens;
    }

    /** A connection on the owner's socket: admin from its first byte, with the admin token. */
    public static ConnectionAuth owner(TokenGuard tokens, String adminToken) {
        ConnectionAuth auth = new ConnectionAuth(tokens);
        auth.level = Level.ADMIN;
        auth.token = adminToken;
        return auth;
    }

    /** A connection whose opening (a SockJS handshake's Authorization header) showed a valid token. */
    public static ConnectionAuth shown(TokenGuard tokens, String token) {
        ConnectionAuth auth = new ConnectionAuth(tokens);
        if (token != null && tokens.knows(token)) {
            auth.level = tokens.isReadOnly(token) ? Level.READ_ONLY : Level.ADMIN;
            auth.token = token;
        }
        return auth;
    }

    public Level level() {
        return level;
    }

    public boolean authenticated() {
        return level != Level.NONE;
    }

    /**
     * Decides a well-formed frame (FrameShape.problemWith found nothing wrong) and, when it passes
     * without a token on an authenticated connection, puts the connection's token in its headers.
     */
    public Outcome admit(JsonObject frame) {
        String type = frame.getString("type");
        JsonObject headers = frame.getJsonObject("headers");
        String shown = headers != null && headers.getValue("token") instanceof String t && !t.isEmpty() ? t : null;
        boolean rewritten = false;
        String acting;
        if (shown != null) {
            // constant-time comparisons (TokenGuard), on a frame already bounded by the pre-auth size
            if (!tokens.knows(shown)) {
                return new Refuse("wrong token", JpmError.FORBIDDEN);
            }
            Level shownLevel = tokens.isReadOnly(shown) ? Level.READ_ONLY : Level.ADMIN;
            if (shownLevel.compareTo(level) > 0) {
                level = shownLevel;
                token = shown;
            }
            acting = shown;
        } else if (level == Level.NONE) {
            return "ping".equals(type) ? new Pong() : new Refuse("no token in headers.token", JpmError.FORBIDDEN);
        } else {
            acting = token;
            if (!"ping".equals(type)) {
                frame.put("headers", (headers == null ? new JsonObject() : headers).put("token", acting));
                rewritten = true;
            }
        }
        String address = frame.getString("address");
        if (!"ping".equals(type) && tokens.check(type, address, acting) == TokenGuard.Verdict.READ_ONLY) {
            return new Refuse("the read-only token may not send " + address, JpmError.FORBIDDEN);
        }
        return new Pass(rewritten);
    }
}
