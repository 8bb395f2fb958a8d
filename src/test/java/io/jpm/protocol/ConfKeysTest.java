package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfKeysTest {
    @Test
    void aSectionAndOneOfItsOptionsWithADotIsJpmsSetting() {
        assertTrue(ConfKeys.isSetting("persist.auto_dump"));
        assertTrue(ConfKeys.isSetting("logs.max_size"));
        assertTrue(ConfKeys.isSetting("satan.hang_timeout.x"), "still jpm.json's, which refuses it");
        assertFalse(ConfKeys.isSetting("persist.autodump"), "an option the section does not have");
        assertFalse(ConfKeys.isSetting("web.api_key"), "an app named web");
        assertFalse(ConfKeys.isSetting("web:port"), "the colon form is always module configuration");
        assertFalse(ConfKeys.isSetting("persist"));
        assertFalse(ConfKeys.isSetting("pm2-logrotate:max_size"));
        assertFalse(ConfKeys.isSetting("all"));
    }

    @Test
    void keysSplitAsPm2SplitsThem() {
        assertEquals(List.of("myapp", "api_key"), ConfKeys.split("myapp.api_key"));
        assertEquals(List.of("pm2-logrotate", "max_size"), ConfKeys.split("pm2-logrotate:max_size"));
        assertEquals(List.of("key1"), ConfKeys.split("key1"));
        assertEquals(List.of("a", "b", "c"), ConfKeys.split("a.b.c"));
        assertEquals(List.of("a", "b:c"), ConfKeys.split("a.b:c"), "dots first, as pm2");
        assertEquals(List.of("q", "x.y"), ConfKeys.split("q.\"x.y\""), "a quoted part keeps its dots");
        assertEquals(List.of("a", "b"), ConfKeys.split("a..b"), "empty parts vanish");
    }

    @Test
    void aKeyPm2RefusesIsRefusedInOneLine() {
        JpmException e = assertThrows(JpmException.class, () -> ConfKeys.split("x.__proto__"));
        assertEquals(JpmError.INVALID_ARGUMENT, e.error());
        assertTrue(e.getMessage().contains("'__proto__' cannot be part of a key"), e.getMessage());
        assertThrows(JpmException.class, () -> ConfKeys.split(""));
        assertThrows(JpmException.class, () -> ConfKeys.split("..."));
    }

    @Test
    void theAppRestartedIsTheFirstPartOfAKeyWithMoreThanOne() {
        assertEquals("myapp", ConfKeys.app("myapp.api_key"));
        assertEquals("pm2-logrotate", ConfKeys.app("pm2-logrotate:max_size"));
        assertNull(ConfKeys.app("key1"));
    }
}
