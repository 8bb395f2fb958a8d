package io.jpm.web;

import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Whether an {@code Origin} header names the server the request came to: the same scheme, host and
 * port as the request itself (its Host header), default ports made explicit. A page the server
 * served (the dashboard) is such an origin; a page on another site is not.
 */
final class SameOrigin {
    private SameOrigin() {}

    static boolean of(String origin, HttpServerRequest request) {
        String scheme = request.isSSL() ? "https" : "http";
        String authority =
                request.authority() == null ? null : request.authority().toString();
        return authority != null && of(origin, scheme, authority);
    }

    /** {@code authority}: the request's host and optional port, as in its Host header. */
    static boolean of(String origin, String scheme, String authority) {
        try {
            URI given = new URI(origin.trim());
            URI own = new URI(scheme + "://" + authority);
            return given.getScheme() != null
                    && given.getHost() != null
                    && own.getHost() != null
                    && given.getScheme().equalsIgnoreCase(scheme)
                    && given.getHost()
                            .toLowerCase(Locale.ROOT)
                            .equals(own.getHost().toLowerCase(Locale.ROOT))
                    && port(given) == port(own);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
