package io.jpm.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.config.LogRotationPolicy;
import io.jpm.keeper.KeeperScript;
import io.jpm.protocol.DayjsFormat;
import io.jpm.protocol.StreamJournal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * While no daemon runs, the keeper (jpm-keeper.pl) writes the apps' lines into their log files; the
 * next daemon's StreamWriter goes on in the same files. The same output, fed to both at the same
 * times, must make the same files byte for byte, in each format a stream can have: as written, after
 * a dayjs date ({@code log_date_format}, {@code time}), pm2's JSON records with and without a date.
 * The keeper runs its own code: its stream is opened from a journal whose header holds the targets
 * as the daemon describes them, and its read and write steps are called as its loop calls them (the
 * script's subs are loaded through perl's {@code require}, its clock set to each event's time).
 */
class KeeperWritesAsTheDaemonTest {
    /** A time at which a zone's offset and a 12-hour clock both show (any zone: the keeper's TZ is the JVM's). */
    private static final long T0 = 1_764_090_123_045L;

    private static final String HARNESS =
            """
            use strict; use warnings;
            require $ARGV[0]; require POSIX; require Time::HiRes;
            my ($journal, $events) = @ARGV[1, 2];
            our $now = 0;
            { no warnings 'redefine'; *Time::HiRes::time = sub { $now / 1000 }; }
            open(my $j, '+<', $journal) or die "$journal: $!";
            sysseek($j, 16384, 0) or die "seek: $!";
            my $stream = open_stream('out:1:1', -1, fileno $j) or die 'no stream from the header';
            open(my $in, '<', $events) or die "$events: $!";
            while (my $line = <$in>) {
                chomp $line;
                my ($at, $hex) = split / /, $line, 2;
                $now = $at;
                syswrite($j, pack('H*', $hex)) if length($hex // '');    # the pipe's bytes, journaled first
                do { take($stream, 0); write_lines($stream) } while pending_in_journal($stream);
            }
            """;

    @org.junit.jupiter.api.io.TempDir
    Path dir;

    private Path script;

    @BeforeEach
    void script() throws IOException {
        Assumptions.assumeTrue(KeeperScript.perlOn(System.getenv("PATH")), "perl is needed");
        script = dir.resolve("keeper.pl");
        Files.writeString(script, KeeperScript.script());
    }

    /** Bytes at a time (ms after T0); no bytes: the held-line timer's turn. */
    private record Event(long at, byte[] bytes) {
        static Event of(long at, String text) {
            return new Event(at, text.getBytes(StandardCharsets.UTF_8));
        }

        /** Bytes written in hex, spaces between for the reader. */
        static Event hex(long at, String hex) {
            return new Event(at, HexFormat.of().parseHex(hex.replace(" ", "")));
        }

        static Event tick(long at) {
            return new Event(at, null);
        }
    }

    private static List<Event> output() {
        String longLine = "x".repeat(100_000);
        return List.of(
                Event.of(0, "first line\nsecond \"quoted\" \\ back\tslash\n"),
                Event.of(10, "split "),
                Event.of(20, "line ends here\n"),
                Event.of(100, "unicode é ✓ and \u0001 ctrl\r\n"),
                Event.of(200, "a prompt> "),
                Event.tick(800), // held past HELD_LINE_MS: written as far as it goes
                Event.of(900, "typed answer\nnext line\n"),
                Event.of(1000, "\n"),
                Event.of(1500, longLine), // past MAX_PENDING: not held whole
                Event.of(1600, "end of long\nheld again"),
                Event.tick(2200),
                Event.of(2300, " and its end\n"),
                Event.hex(2400, "6279746573 20 c3a9 0a"), // "bytes é": well-formed
                // ill-formed UTF-8, which a JSON record has as java.lang.String decodes it: a stray byte, a
                // character cut short by another byte or at the line's end, an overlong form, a surrogate
                Event.hex(2500, "626164 20 ff c3 28 e282 20 f09f98 0a"),
                Event.hex(2600, "eda080 20 e08080 20 c0af 20 f4908080 20 ed9fbf f09f9880 20 f09f98"),
                Event.of(2700, "\n"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "as written||false",
                "log_date_format|YYYY-MM-DD HH:mm:ss Z|false",
                "time|" + DayjsFormat.PM2_TIME + "|false",
                "every token|[at] h:m:s A a dddd ddd dd d MMMM MMM M D YY x X SSS ZZ [unclosed|false",
                "json||true",
                "json with a date|YYYY-MM-DD HH:mm:ss.SSS|true"
            })
    void sameFilesFromTheKeeperAndTheDaemon(String option, String dateFormat, boolean json) throws Exception {
        Path daemonDir = Files.createDirectories(dir.resolve("daemon"));
        Path keeperDir = Files.createDirectories(dir.resolve("keeper"));
        String app = "my \"app\" é";
        daemonWrites(LineFormat.of(dateFormat, json, "err", 3, app), daemonDir);
        keeperWrites(
                new StreamJournal.Targets(
                        List.of(
                                keeperDir.resolve("err.log").toString(),
                                keeperDir.resolve("all.log").toString()),
                        dateFormat,
                        json,
                        "err",
                        3,
                        app),
                keeperDir);
        for (String file : List.of("err.log", "all.log")) {
            byte[] daemon = Files.readAllBytes(daemonDir.resolve(file));
            byte[] keeper = Files.readAllBytes(keeperDir.resolve(file));
            assertEquals(firstDifference(daemon, keeper), "", option + ": " + file);
            assertArrayEquals(daemon, keeper, option + ": " + file);
        }
    }

    /** The first line that differs, as each writer wrote it (shortened): empty when none does. */
    private static String firstDifference(byte[] daemon, byte[] keeper) {
        List<String> a = new String(daemon, StandardCharsets.UTF_8).lines().toList();
        List<String> b = new String(keeper, StandardCharsets.UTF_8).lines().toList();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String x = i < a.size() ? a.get(i) : "(none)";
            String y = i < b.size() ? b.get(i) : "(none)";
            if (!x.equals(y)) {
                return "line " + (i + 1) + ": daemon " + shortened(x) + " / keeper " + shortened(y);
            }
        }
        return "";
    }

    private static String shortened(String line) {
        return line.length() <= 160 ? line : line.substring(0, 80) + "..." + line.substring(line.length() - 80);
    }

    /** The LogAggregator's writer: the chunks as they come, the held line at its timer's turn. */
    private static void daemonWrites(LineFormat format, Path folder) throws IOException {
        List<LogFile> files = List.of(
                new LogFile(folder.resolve("err.log"), LogRotationPolicy.defaults()),
                new LogFile(folder.resolve("all.log"), LogRotationPolicy.defaults()));
        StreamWriter writer = new StreamWriter("app", 3, "err", files, format);
        LiveLines quiet = new LiveLines("h");
        for (Event e : output()) {
            long now = T0 + e.at();
            if (e.bytes() == null) {
                writer.writeHeld(now - LogAggregatorVerticle.HELD_LINE_MS, quiet, now);
            } else {
                writer.write(e.bytes(), quiet, now);
            }
        }
    }

    /** The keeper's drain, over a journal whose header is the daemon's description of the stream. */
    private void keeperWrites(StreamJournal.Targets targets, Path folder) throws Exception {
        ByteBuffer header = ByteBuffer.allocate(16 * 1024).order(ByteOrder.nativeOrder());
        header.putLong(0, 0x6a706d2d6a726e31L).putLong(8, 0).putLong(16, -1);
        header.put(8 * 1024, targets.keeperText().getBytes(StandardCharsets.UTF_8));
        Path journal = folder.resolve("journal");
        Files.write(journal, header.array());
        List<String> events = new ArrayList<>();
        for (Event e : output()) {
            events.add((T0 + e.at()) + " "
                    + (e.bytes() == null ? "" : HexFormat.of().formatHex(e.bytes())));
        }
        Path eventsFile = Files.write(folder.resolve("events"), events);
        ProcessBuilder builder = new ProcessBuilder(
                        "perl", "-e", HARNESS, script.toString(), journal.toString(), eventsFile.toString())
                .redirectErrorStream(true);
        builder.environment().put("TZ", ZoneId.systemDefault().getId());
        Process perl = builder.start();
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        perl.getInputStream().transferTo(said);
        perl.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, perl.exitValue(), said.toString(StandardCharsets.UTF_8));
    }
}
