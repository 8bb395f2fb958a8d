package io.jpm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Locale;
import java.util.TimeZone;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** daemon.log's lines are the ones SimpleFormatter wrote with the daemon's former format, byte for byte. */
class DaemonLogFormatterTest {
    private static final String FORMER_FORMAT = "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n";
    private final TimeZone zone = TimeZone.getDefault();

    @AfterEach
    void restoreZone() {
        TimeZone.setDefault(zone);
        System.clearProperty("java.util.logging.SimpleFormatter.format");
    }

    @Test
    void writesWhatSimpleFormatterWrote() {
        System.setProperty("java.util.logging.SimpleFormatter.format", FORMER_FORMAT);
        SimpleFormatter former = new SimpleFormatter();
        DaemonLogFormatter ours = new DaemonLogFormatter();
        for (String zoneId : new String[] {"UTC", "Europe/Paris", "America/St_Johns", "Asia/Kolkata"}) {
            TimeZone.setDefault(TimeZone.getTimeZone(zoneId));
            // a winter and a summer instant, the first millisecond of a year, one before 1970
            for (long millis : new long[] {1_795_552_284_691L, 1_782_000_000_007L, 1_767_225_600_000L, -86_399_999L}) {
                for (LogRecord record : records(millis)) {
                    assertEquals(former.format(record), ours.format(record), zoneId + " " + millis);
                }
            }
        }
    }

    @Test
    void writesTheLevelsWordInEveryLocale() {
        Locale locale = Locale.getDefault();
        try {
            Locale.setDefault(Locale.FRANCE); // the JDK's French bundle says INFOS
            LogRecord record = records(1_795_552_284_691L)[0];
            assertTrue(new DaemonLogFormatter().format(record).contains(" INFO jpm.daemon: "));
        } finally {
            Locale.setDefault(locale);
        }
    }

    private static LogRecord[] records(long millis) {
        LogRecord plain = new LogRecord(Level.INFO, "jpm daemon 7450 ready");
        LogRecord withParameters = new LogRecord(Level.WARNING, "port {0} taken, {1}");
        withParameters.setParameters(new Object[] {9620, "listening elsewhere"});
        LogRecord withThrowable = new LogRecord(Level.SEVERE, "cannot write");
        withThrowable.setThrown(new IOException("disk full"));
        LogRecord[] all = {plain, withParameters, withThrowable};
        for (LogRecord record : all) {
            record.setLoggerName("jpm.daemon");
            record.setMillis(millis);
        }
        return all;
    }
}
