package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class DayjsFormatTest {
    private static final ZonedDateTime T =
            ZonedDateTime.of(2024, 3, 7, 14, 5, 9, 42_000_000, ZoneOffset.ofHoursMinutes(5, 30));

    @Test
    void pm2sUsualFormats() {
        assertEquals(
                "2024-03-07 14:05:09 +05:30",
                DayjsFormat.compile("YYYY-MM-DD HH:mm:ss Z").format(T));
        assertEquals(
                "2024-03-07T14:05:09", DayjsFormat.compile(DayjsFormat.PM2_TIME).format(T));
        assertEquals(
                "2024-03-07 14:05:09.042 +0530",
                DayjsFormat.compile("YYYY-MM-DD HH:mm:ss.SSS ZZ").format(T));
    }

    @Test
    void everyToken() {
        assertEquals(
                "24 3 7 Mar March Thu Thursday Th 4 2 02 PM pm 5 9",
                DayjsFormat.compile("YY M D MMM MMMM ddd dddd dd d h hh A a m s")
                        .format(T));
        assertEquals(Long.toString(T.toEpochSecond()), DayjsFormat.compile("X").format(T));
        assertEquals(
                Long.toString(T.toInstant().toEpochMilli()),
                DayjsFormat.compile("x").format(T));
    }

    @Test
    void bracketsAndOtherCharactersAreCopied() {
        assertEquals(
                "at 14h05 [x] Y", DayjsFormat.compile("[at] HH[h]mm [[x]] [Y]").format(T));
    }

    @Test
    void anythingButEmptyIsAFormatAsInDayjs() {
        // dayjs: a '[' that opens no [text] is copied, and the rest is read for tokens as usual
        assertEquals("2024 [oop9", DayjsFormat.compile("YYYY [oops").format(T));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DayjsFormat.compile(""))
                .getMessage()
                .contains("empty"));
        assertEquals("foo", DayjsFormat.compile("foo").format(T), "no token: copied, as dayjs does");
    }
}
