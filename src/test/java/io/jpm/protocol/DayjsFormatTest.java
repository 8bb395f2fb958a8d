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

    @Test
    void aTimeWrittenWithAFormatIsReadBackFromALinesStart() {
        java.time.ZoneId zone = ZoneOffset.ofHoursMinutes(5, 30);
        java.time.Instant whole = T.toInstant();
        java.time.Instant seconds = T.withNano(0).toInstant();
        for (String format : java.util.List.of(
                "YYYY-MM-DD HH:mm:ss.SSS ZZ",
                "YYYY-MM-DD HH:mm:ss.SSS",
                "x",
                "DD MMM YYYY hh:mm:ss.SSS a",
                "YY-M-D H:m:s.SSS")) {
            DayjsFormat f = DayjsFormat.compile(format);
            assertEquals(whole, f.parseStart(f.format(T) + ": tick", ": ", zone), format);
        }
        DayjsFormat pm2 = DayjsFormat.compile(DayjsFormat.PM2_TIME);
        assertEquals(seconds, pm2.parseStart("2024-03-07T14:05:09: tick 1", ": ", zone));
        // the offset written wins over the zone of the reader
        assertEquals(
                seconds,
                DayjsFormat.compile("YYYY-MM-DD HH:mm:ss Z")
                        .parseStart("2024-03-07 14:05:09 +05:30 x", " ", ZoneOffset.UTC));
        // no whole date, not followed as asked, or no time at all: nothing known
        assertEquals(null, DayjsFormat.compile("HH:mm:ss").parseStart("14:05:09: tick", ": ", zone));
        assertEquals(null, pm2.parseStart("2024-03-07T14:05:09 tick", ": ", zone));
        assertEquals(null, pm2.parseStart("tick 1", ": ", zone));
        assertEquals(null, pm2.parseStart("2024-13-07T14:05:09: bad month", ": ", zone));
    }
}
