package io.jpm.balancer;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.util.AsciiString;
import io.netty.util.NetUtil;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The headers HTTP mode passes on: hop-by-hop ones (RFC 9110 7.6.1, and those the Connection header
 * names) stay behind, except an upgrade's; the client's address, the host it asked for and the
 * scheme go forward in {@code X-Forwarded-For}, {@code X-Forwarded-Host}, {@code X-Forwarded-Proto}
 * and RFC 7239's {@code Forwarded}, appended to what an earlier proxy put there. Runs once per
 * request: names are compared in place, with no lower-cased copy nor set per request.
 */
final class ForwardedHeaders {
    private static final AsciiString[] HOP_BY_HOP = {
        HttpHeaderNames.CONNECTION,
        HttpHeaderNames.KEEP_ALIVE,
        HttpHeaderNames.PROXY_AUTHENTICATE,
        HttpHeaderNames.PROXY_AUTHORIZATION,
        HttpHeaderNames.PROXY_CONNECTION,
        HttpHeaderNames.TE,
        HttpHeaderNames.TRAILER,
        HttpHeaderNames.TRANSFER_ENCODING,
        HttpHeaderNames.UPGRADE
    };
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("X-Forwarded-Host");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("X-Forwarded-Proto");
    private static final AsciiString FORWARDED = AsciiString.cached("Forwarded");
    private static final AsciiString HTTP = AsciiString.cached("http");

    private ForwardedHeaders() {}

    /** True for {@code Connection: upgrade} with an {@code Upgrade} header (a WebSocket handshake, h2c, ...). */
    static boolean isUpgrade(MultiMap headers) {
        return isUpgrade(headers.get(HttpHeaders.CONNECTION), headers.get(HttpHeaders.UPGRADE));
    }

    /** The same on Netty's headers (the HTTP relay). */
    static boolean isUpgrade(io.netty.handler.codec.http.HttpHeaders headers) {
        return isUpgrade(headers.get(HttpHeaderNames.CONNECTION), headers.get(HttpHeaderNames.UPGRADE));
    }

    private static boolean isUpgrade(String connection, String upgrade) {
        // h2c (HTTP/2 over cleartext, which Java's HttpClient offers on every first request) is one
        // hop's business: the request goes on as plain HTTP/1.1, as nginx does
        return connection != null
                && upgrade != null
                && !upgrade.equalsIgnoreCase("h2c")
                && hasToken(connection, "upgrade");
    }

    /** The client's request headers onto the instance's, with the forwarding headers. */
    static void copyRequest(HttpServerRequest request, MultiMap to, boolean upgrade) {
        MultiMap from = request.headers();
        copy(from, to);
        if (upgrade) {
            to.set(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE);
            to.set(HttpHeaders.UPGRADE, from.get(HttpHeaders.UPGRADE));
        }
        String proto = request.isSSL() ? "https" : "http";
        String host = from.get(HttpHeaders.HOST);
        String client = clientAddress(request.remoteAddress());
        if (client != null) {
            String prior = from.get(X_FORWARDED_FOR);
            to.set(X_FORWARDED_FOR, prior == null ? client : prior + ", " + client);
        }
        if (host != null && !from.contains(X_FORWARDED_HOST)) {
            to.set(X_FORWARDED_HOST, host);
        }
        to.set(X_FORWARDED_PROTO, proto);
        String element = forwardedElement(client, host, proto);
        String prior = from.get(FORWARDED);
        to.set(FORWARDED, prior == null ? element : prior + ", " + element);
    }

    /** The instance's answer headers onto the client's. */
    static void copyResponse(MultiMap from, MultiMap to) {
        copy(from, to);
    }

    private static void copy(MultiMap from, MultiMap to) {
        String connection = from.get(HttpHeaders.CONNECTION);
        // "Connection: close" or "keep-alive" (the usual values) name no header of their own
        boolean namesOthers = connection != null && !isPlain(connection);
        for (var header : from) {
            String name = header.getKey();
            if (!hopByHop(name) && !(namesOthers && hasToken(connection, name))) {
                to.add(name, header.getValue());
            }
        }
    }

    private static boolean isPlain(String connection) {
        return connection.equalsIgnoreCase("close") || connection.equalsIgnoreCase("keep-alive");
    }

    static boolean hopByHop(CharSequence name) {
        for (AsciiString hop : HOP_BY_HOP) {
            if (hop.length() == name.length() && hop.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a comma-separated list (the Connection header) holds {@code token}, any case. */
    static boolean hasToken(String list, String token) {
        int from = 0;
        while (from <= list.length()) {
            int comma = list.indexOf(',', from);
            int end = comma < 0 ? list.length() : comma;
            int start = from;
            while (start < end && list.charAt(start) == ' ') {
                start++;
            }
            int stop = end;
            while (stop > start && (list.charAt(stop - 1) == ' ' || list.charAt(stop - 1) == '\t')) {
                stop--;
            }
            if (stop - start == token.length() && list.regionMatches(true, start, token, 0, token.length())) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            from = comma + 1;
        }
        return false;
    }

    /**
     * The HTTP relay's edit of an answer's head, in place: hop-by-hop headers out, but for
     * Transfer-Encoding (the relay re-encodes the body as it came: chunked stays chunked) and, on a
     * 101, the upgrade's own.
     */
    static void editResponse(io.netty.handler.codec.http.HttpHeaders headers, boolean upgrade) {
        removeHopByHop(headers, upgrade);
    }

    private static void removeHopByHop(io.netty.handler.codec.http.HttpHeaders headers, boolean upgrade) {
        String connection = headers.get(HttpHeaderNames.CONNECTION);
        if (connection != null && !isPlain(connection)) {
            for (String token : connection.split(",")) {
                String name = token.trim();
                if (!name.isEmpty()
                        && !HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)
                        && !(upgrade && HttpHeaderNames.UPGRADE.contentEqualsIgnoreCase(name))) {
                    headers.remove(name);
                }
            }
        }
        for (AsciiString name : HOP_BY_HOP) {
            if (name != HttpHeaderNames.TRANSFER_ENCODING && !(upgrade && name == HttpHeaderNames.UPGRADE)) {
                headers.remove(name);
            }
        }
        if (upgrade) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        }
    }

    /**
     * This hop's forwarding headers for one client connection of the HTTP relay: the client's address
     * is worked out once per connection and the {@code Forwarded} element once per Host it asks for
     * (one, in practice), not once per request.
     */
    static final class Hop {
        private final String client;
        private String host;
        private String element;

        Hop(java.net.SocketAddress remote) {
            this.client = remote instanceof InetSocketAddress a && a.getAddress() != null
                    ? NetUtil.toAddressString(a.getAddress())
                    : null;
        }

        /** The client's address, or null when the connection has none (a Unix socket). */
        String client() {
            return client;
        }

        /** The request's head made fit for the instance, in place (the Vert.x path's {@link #copyRequest}). */
        void editRequest(io.netty.handler.codec.http.HttpHeaders headers, boolean upgrade) {
            removeHopByHop(headers, upgrade);
            String host = headers.get(HttpHeaderNames.HOST);
            if (client != null) {
                String prior = headers.get(X_FORWARDED_FOR);
                headers.set(X_FORWARDED_FOR, prior == null ? client : prior + ", " + client);
            }
            if (host != null && !headers.contains(X_FORWARDED_HOST)) {
                headers.set(X_FORWARDED_HOST, host);
            }
            headers.set(X_FORWARDED_PROTO, HTTP);
            String prior = headers.get(FORWARDED);
            headers.set(FORWARDED, prior == null ? element(host) : prior + ", " + element(host));
        }

        private String element(String host) {
            if (element == null || !Objects.equals(host, this.host)) {
                this.host = host;
                element = forwardedElement(client, host, "http");
            }
            return element;
        }
    }

    /** The client's address as it is written in X-Forwarded-For: IPv6 in its short form (RFC 5952). */
    static String clientAddress(SocketAddress remote) {
        String address = remote == null ? null : remote.hostAddress();
        if (address == null || address.indexOf(':') < 0) {
            return address;
        }
        InetAddress parsed = NetUtil.createInetAddressFromIpAddressString(address);
        return parsed == null ? address : NetUtil.toAddressString(parsed);
    }

    /** One RFC 7239 element: {@code for=192.0.2.1;host=example.com;proto=http}, IPv6 in quoted brackets. */
    static String forwardedElement(String client, String host, String proto) {
        StringBuilder element = new StringBuilder(64);
        if (client != null) {
            element.append("for=")
                    .append(client.indexOf(':') >= 0 ? "\"[" + client + "]\"" : client)
                    .append(';');
        }
        if (host != null) {
            element.append("host=").append(token(host)).append(';');
        }
        return element.append("proto=").append(proto).toString();
    }

    /** A value as an RFC 7230 token when it is one, else as a quoted string. */
    private static String token(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
            }
        }
        return value;
    }
}
