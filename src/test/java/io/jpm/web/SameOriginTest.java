package io.jpm.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SameOriginTest {
    @Test
    void thePageTheServerServedIsItsOwnOrigin() {
        assertTrue(SameOrigin.of("http://127.0.0.1:9615", "http", "127.0.0.1:9615"));
        assertTrue(SameOrigin.of("HTTP://LocalHost:9615", "http", "localhost:9615"), "case does not matter");
        assertTrue(SameOrigin.of("https://box.example", "https", "box.example:443"), "default port");
        assertTrue(SameOrigin.of("http://[::1]:9615", "http", "[::1]:9615"));
    }

    @Test
    void anotherSiteOrPortOrSchemeIsNot() {
        assertFalse(SameOrigin.of("http://evil.example", "http", "127.0.0.1:9615"));
        assertFalse(SameOrigin.of("http://127.0.0.1:8080", "http", "127.0.0.1:9615"), "another port");
        assertFalse(SameOrigin.of("https://127.0.0.1:9615", "http", "127.0.0.1:9615"), "another scheme");
        assertFalse(SameOrigin.of("http://127.0.0.1.evil.example:9615", "http", "127.0.0.1:9615"));
    }

    @Test
    void whatIsNoOriginIsRefused() {
        assertFalse(SameOrigin.of("null", "http", "127.0.0.1:9615"), "a sandboxed page or a file: page");
        assertFalse(SameOrigin.of("", "http", "127.0.0.1:9615"));
        assertFalse(SameOrigin.of("http://a b", "http", "127.0.0.1:9615"));
        assertFalse(SameOrigin.of("file://", "http", "127.0.0.1:9615"));
    }
}
