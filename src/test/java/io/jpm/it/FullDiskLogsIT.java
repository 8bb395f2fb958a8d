package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jpm.testkit.Eventually;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real disk fills up under a flooding app, then room is made again. Formatted logs
 * (--time, log_date_format, log_type json) held lines twice and lines torn in two after such an
 * episode. The disk is a 1 MiB tmpfs (root only: skipped elsewhere), most of it taken by a ballast
 * file that is deleted once the daemon has said a few times that it cannot write.
 */
@ExtendWith(JpmExtension.class)
@WithoutTuning
class FullDiskLogsIT {
    private static final int BALLAST = 512 * 1024;
    private static final Duration EPISODE = Duration.ofSeconds(60);

    /** A way to write lines and what a whole one looks like in it, the app's line number in group 1. */
    private record Format(String name, List<String> flags, Pattern whole) {}

    private static final List<Format> FORMATS = List.of(
            new Format("raw", List.of(), Pattern.compile("line-(\\d+)-end")),
            new Format(
                    "time",
                    List.of("--time"),
                    Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d: line-(\\d+)-end")),
            new Format(
                    "dated",
                    List.of("--log-date-format", "YYYY-MM-DD HH:mm:ss.SSS"),
                    Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}: line-(\\d+)-end")),
            new Format(
                    "json",
                    List.of("--log-type", "json"),
                    Pattern.compile("\\{\"message\":\"line-(\\d+)-end\\\\n\",\"timestamp\":\"[^\"]+\","
                            + "\"type\":\"out\",\"process_id\":\\d+,\"app_name\":\"json\"}")));

    @Test
    void aFullDiskLosesOnlyWhatCameWhileFullAndNoFormatDoublesOrTearsALine(Jpm jpm) throws Exception {
        Path disk = Files.createDirectories(jpm.scratch.resolve("disk"));
        String why = run("mount", "-t", "tmpfs", "-o", "size=1m", "jpm-full-disk", disk.toString());
        assumeTrue(why == null, () -> "no tmpfs of our own here (root only): " + why);
        try {
            for (Format format : FORMATS) {
                episode(jpm, disk, format);
            }
        } finally {
            jpm.cli("delete", "all");
            run("umount", "-l", disk.toString());
        }
    }

    private static void episode(Jpm jpm, Path disk, Format format) throws IOException {
        // the last episode's file is gone once the daemon has closed it
        Eventually.until("room on " + disk, EPISODE, () -> room(disk) > BALLAST + 128 * 1024);
        Path ballast = Files.write(disk.resolve("ballast"), new byte[BALLAST]);
        Path log = disk.resolve(format.name() + ".log");
        Path daemonLog = jpm.home.resolve("daemon.log");
        String refused = "cannot write " + format.name() + " out";
        List<String> start = new ArrayList<>(List.of(
                "start",
                Jpm.fixture("numbered.sh").toString(),
                "--name",
                format.name(),
                "--no-autorestart",
                "-o",
                log.toString()));
        start.addAll(format.flags());
        jpm.ok(start.toArray(String[]::new));
        Eventually.until(
                format.name() + ": the disk to be full and the daemon to say so in daemon.log a few times",
                EPISODE,
                () -> count(daemonLog, refused) >= 3);
        long full = Files.size(log);
        Files.delete(ballast);
        Eventually.until(
                format.name() + ": lines written again once there is room",
                EPISODE,
                () -> size(log) > full + 64 * 1024);
        jpm.ok("delete", format.name());

        // up to the last newline: the daemon may still be writing the last lines of the deleted app
        String text = Files.readString(log, StandardCharsets.UTF_8);
        List<String> lines =
                text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
        long last = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher whole = format.whole().matcher(lines.get(i));
            if (!whole.matches()) {
                fail(format.name() + ": line " + (i + 1) + " of " + log + " is torn: " + lines.get(i));
            }
            long number = Long.parseLong(whole.group(1));
            if (number <= last) {
                fail(format.name() + ": line " + (i + 1) + " holds the app's line " + number + " after its line " + last
                        + " (written twice)");
            }
            last = number;
        }
        assertTrue(lines.size() > 1000, format.name() + ": " + lines.size() + " lines");
        assertTrue(lines.get(0).contains("line-1-end"), format.name() + ": the lines before the disk filled are there");
        Files.delete(log);
    }

    private static long room(Path disk) {
        try {
            return Files.getFileStore(disk).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static int count(Path file, String text) {
        try {
            String all = Files.readString(file, StandardCharsets.UTF_8);
            int n = 0;
            for (int at = all.indexOf(text); at >= 0; at = all.indexOf(text, at + 1)) {
                n++;
            }
            return n;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Runs a command; null when it succeeds, else what it said. */
    private static String run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? null : String.join(" ", command) + ": " + said.strip();
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
