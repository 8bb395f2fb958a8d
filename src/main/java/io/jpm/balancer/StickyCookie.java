package io.jpm.balancer;

import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.List;

/**
 * {@code sticky: "cookie"} (HTTP mode, docs/CONFIG.md): a client's first answer sets a cookie naming
 * the instance that served it, and each request carrying it goes to that instance while it is ready
 * (another, and a new cookie, once it is not). The cookie's value is the same for an instance on
 * every front of a fleet app (a hash of its pid and pm_id, which every member's front sees alike),
 * so a client that reaches another host keeps its instance; and opaque: no host name, port or pid
 * is told to the client. A new run of an instance (a restart, a reload) has a new value: its
 * in-memory sessions are gone with the old run, so its clients may go anywhere.
 */
final class StickyCookie {
    /** The cookie's name; HAProxy's and nginx's sticky cookies are named by their user, jpm's by jpm. */
    static final String NAME = "jpm_sticky";

    private StickyCookie() {}

    /** The cookie's value for an instance: the same on every front. */
    static String value(int pid, int pmId) {
        return Long.toHexString(AppUpstreams.mix(0x6a706d, pid, pmId));
    }

    /** The {@link #NAME} cookie's value among a request's Cookie headers, or null. */
    static String read(List<String> cookieHeaders) {
        for (String header : cookieHeaders) {
            if (!header.contains(NAME)) {
                continue; // not parsed: most requests of a sticky app carry other cookies only, or none
            }
            for (Cookie cookie : ServerCookieDecoder.LAX.decodeAll(header)) {
                if (NAME.equals(cookie.name())) {
                    return cookie.value();
                }
            }
        }
        return null;
    }

    /** The Set-Cookie header's value that sends a client to {@code value}'s instance from now on. */
    static String setCookie(String value) {
        // a session cookie, sent back on every path, never read by the page's scripts
        return NAME + "=" + value + "; Path=/; HttpOnly; SameSite=Lax";
    }
}
