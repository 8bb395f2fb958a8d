package io.jpm.keeper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.protocol.DayjsFormat;
import io.jpm.protocol.StreamJournal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keeper writes the apps' lines while no daemon runs (jpm-keeper.pl), in the formats the
 * LogAggregator writes (logs.LineFormat): its dayjs dates, from the parts DayjsFormat compiled, must read as its, its
 * JSON as LineFormat's, its instants as java.time's. The script's subs are called through perl's
 * {@code require} (the script runs only when it is the program).
 */
class KeeperLineFormatTest {
    private static final List<String> FORMATS = List.of(
            "YYYY-MM-DD HH:mm:ss Z",
            "YYYY-MM-DDTHH:mm:ss",
            "YYYY-MM-DD HH:mm:ss.SSS ZZ",
            "[at] h:m:s A a dddd ddd dd d MMMM MMM M D YY x X",
            "hh:mm [SSS] SSS [unclosed",
            "plain text with no token but Y");
    /** A time with a zone whose offset has minutes, at an hour past noon with a short month name. */
    private static final long MS = 1_764_090_123_045L;

    private static final String ZONE = "Asia/Kolkata";

    @TempDir
    Path dir;

    private Path script;

    @BeforeEach
    void script() throws IOException {
        Assumptions.assumeTrue(KeeperScript.onPath("perl").isPresent(), "perl is needed");
        script = dir.resolve("keeper.pl");
        Files.writeString(script, KeeperScript.script());
    }

    private List<String> perl(String code, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(
                List.of("perl", "-e", "require $ARGV[0]; require POSIX; shift @ARGV; " + code, script.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TZ", ZONE);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(20, TimeUnit.SECONDS);
        assertEquals(0, process.exitValue(), out);
        return out.lines().toList();
    }

    @Test
    void datesReadAsTheDaemonsDayjsFormat() throws Exception {
        List<String> expected = FORMATS.stream()
                .map(f -> DayjsFormat.compile(f).format(Instant.ofEpochMilli(MS).atZone(ZoneId.of(ZONE))))
                .toList();
        List<String> args = new ArrayList<>(List.of(Long.toString(MS)));
        for (String format : FORMATS) {
            // the layout as a journal's header hands it to the keeper
            args.add(new StreamJournal.Targets(List.of("/f"), format, false, "out", 0, "app")
                    .keeperText()
                    .replace("\0", ""));
        }
        assertEquals(
                expected,
                perl(
                        "my $ms = shift @ARGV;"
                                + " for (@ARGV) { my %t = targets_of($_); print time_text($t{time}, $ms), \"\\n\" }",
                        args));
    }

    @Test
    void jsonTimestampsAndQuotingAsTheAggregators() throws Exception {
        assertEquals(
                List.of(
                        Instant.ofEpochMilli(MS).toString(),
                        Instant.ofEpochMilli(MS - 45).toString(),
                        "\"a\\\"b\\\\c\\n\\r\\t\\u0001 é\""),
                perl(
                        "print iso_instant($ARGV[0]), \"\\n\", iso_instant($ARGV[0] - 45), \"\\n\","
                                + " json_quote(qq{a\"b\\\\c\\n\\r\\t\\x01 \\xc3\\xa9}), \"\\n\"",
                        List.of(Long.toString(MS))));
    }
}
