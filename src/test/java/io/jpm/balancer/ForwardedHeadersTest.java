package io.jpm.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {
    @Test
    void hopByHopNamesAreFoundInAnyCase() {
        assertTrue(ForwardedHeaders.hopByHop("Keep-Alive"));
        assertTrue(ForwardedHeaders.hopByHop("TRANSFER-ENCODING"));
        assertFalse(ForwardedHeaders.hopByHop("Content-Length"));
        assertFalse(ForwardedHeaders.hopByHop("tea"));
    }

    @Test
    void connectionTokensAreMatchedWholeAndTrimmed() {
        assertTrue(ForwardedHeaders.hasToken("keep-alive, Upgrade", "upgrade"));
        assertTrue(ForwardedHeaders.hasToken("X-Trace ,close", "x-trace"));
        assertFalse(ForwardedHeaders.hasToken("upgraded", "upgrade"));
        assertFalse(ForwardedHeaders.hasToken("", "upgrade"));
    }

    @Test
    void anUpgradeNeedsBothHeaders() {
        assertTrue(ForwardedHeaders.isUpgrade(MultiMap.caseInsensitiveMultiMap()
                .add("Connection", "keep-alive, Upgrade")
                .add("Upgrade", "websocket")));
        assertFalse(
                ForwardedHeaders.isUpgrade(MultiMap.caseInsensitiveMultiMap().add("Connection", "Upgrade")));
        assertFalse(
                ForwardedHeaders.isUpgrade(MultiMap.caseInsensitiveMultiMap().add("Upgrade", "websocket")));
        // Java's HttpClient offers h2c on a first request: one hop's business, not a tunnel
        assertFalse(ForwardedHeaders.isUpgrade(MultiMap.caseInsensitiveMultiMap()
                .add("Connection", "Upgrade, HTTP2-Settings")
                .add("Upgrade", "h2c")));
    }

    @Test
    void rfc7239ElementsQuoteIpv6AndHostsWithAPort() {
        assertEquals(
                "for=192.0.2.60;host=example.com;proto=http",
                ForwardedHeaders.forwardedElement("192.0.2.60", "example.com", "http"));
        assertEquals(
                "for=\"[2001:db8::1]\";host=\"example.com:8080\";proto=https",
                ForwardedHeaders.forwardedElement("2001:db8::1", "example.com:8080", "https"));
        assertEquals("proto=http", ForwardedHeaders.forwardedElement(null, null, "http"));
    }

    @Test
    void ipv6ClientsAreWrittenShort() {
        assertEquals("::1", ForwardedHeaders.clientAddress(SocketAddress.inetSocketAddress(1, "0:0:0:0:0:0:0:1")));
        assertEquals("127.0.0.1", ForwardedHeaders.clientAddress(SocketAddress.inetSocketAddress(1, "127.0.0.1")));
    }
}
