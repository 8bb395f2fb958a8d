package io.jpm.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class StickyCookieTest {
    @Test
    void theCookieIsFoundAmongOthersInAnyCookieHeader() {
        assertEquals("ab12", StickyCookie.read(List.of("session=x; jpm_sticky=ab12; theme=dark")));
        assertEquals("ab12", StickyCookie.read(List.of("a=b", "jpm_sticky=ab12")));
        assertNull(StickyCookie.read(List.of("session=x; not_jpm_sticky=ab12")));
        assertNull(StickyCookie.read(List.of()));
        assertNull(StickyCookie.read(List.of("jpm_sticky_old=1")));
    }

    @Test
    void setCookieIsASessionCookieForEveryPathHiddenFromScripts() {
        assertEquals("jpm_sticky=ab12; Path=/; HttpOnly; SameSite=Lax", StickyCookie.setCookie("ab12"));
        assertEquals(StickyCookie.value(4242, 3), StickyCookie.value(4242, 3));
    }
}
