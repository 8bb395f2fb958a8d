package io.jpm.history;

import io.jpm.protocol.BlockingCall;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.Ownership;
import io.jpm.protocol.PrivateFiles;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The history on disk (JPM_HOME/history, 0700): for each ring one file an hour per writer,
 * {@code fine-<hour>-<writer>.jsonl.gz} and {@code minute-<hour>-<writer>.jsonl.gz} ({@code <hour>}:
 * hours since the epoch; {@code <writer>}: when the daemon that writes it started, ms), append-only,
 * each write one gzip member of JSON lines ({@code {"t":<ms>,"f":{"<subject>":{"<metric>":<figure>}}}}).
 * Crash-only: a write cut short by a kill leaves a torn member at the end of its writer's file, and a
 * reader keeps every line before it and ignores the rest; the next daemon writes files of its own, so
 * nothing it writes comes after a torn member (a write that failed moves to a new writer too). A
 * line that is not JSON is skipped. Bounded: fine files are kept for two hours, minute
 * files for 25, and a reader takes no line longer than {@link #MAX_LINE} bytes and no file longer
 * than {@link #MAX_FILE} bytes (read as far as that). Every method may wait on the disk: a worker's.
 */
final class HistoryFiles {
    static final long HOUR_MS = 3_600_000;
    static final int MAX_LINE = 8 << 20;
    static final long MAX_FILE = 512L << 20;
    private static final Pattern NAME = Pattern.compile("(fine|minute)-(\\d{1,10})-(\\d{1,19})\\.jsonl\\.gz");
    private static final Comparator<Path> WRITTEN = Comparator.comparingLong(HistoryFiles::writerOf);

    private final Path dir;
    /** This writer's tag in the names of its files. */
    private long writer;

    HistoryFiles(Path dir) {
        this(dir, System.currentTimeMillis());
    }

    HistoryFiles(Path dir, long writer) {
        this.dir = dir;
        this.writer = writer;
    }

    Path dir() {
        return dir;
    }

    /** Appends the points, one gzip member per file they fall in, and removes the files past keeping. */
    void append(List<HistoryStore.Point> points, long now) throws IOException {
        BlockingCall.check("a write of " + dir);
        ensureFolder();
        Map<Path, List<HistoryStore.Point>> byFile = new TreeMap<>();
        for (HistoryStore.Point point : points) {
            byFile.computeIfAbsent(file(point.fine(), point.time() / HOUR_MS), f -> new ArrayList<>())
                    .add(point);
        }
        for (Map.Entry<Path, List<HistoryStore.Point>> entry : byFile.entrySet()) {
            ByteArrayOutputStream member = new ByteArrayOutputStream();
            try (OutputStream gzip = new GZIPOutputStream(member)) {
                for (HistoryStore.Point point : entry.getValue()) {
                    gzip.write(line(point).getBytes(StandardCharsets.UTF_8));
                }
            }
            // the whole member in one write: a kill tears at most this one, at the file's end
            try (FileChannel channel = PrivateFiles.openAppend(entry.getKey())) {
                ByteBuffer bytes = ByteBuffer.wrap(member.toByteArray());
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            } catch (IOException e) {
                // part of the member may be written: what follows goes to files of a new writer
                writer = Math.max(writer + 1, System.currentTimeMillis());
                throw e;
            }
        }
        prune(now);
    }

    /** Each point the files hold that the rings may still show at {@code now}, oldest file first. */
    void load(long now, Consumer<HistoryStore.Point> into) throws IOException {
        BlockingCall.check("a read of " + dir);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        refuseUntrusted();
        TreeMap<Long, List<Path>> byHour = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(file -> {
                Matcher m = NAME.matcher(file.getFileName().toString());
                if (m.matches() && kept(isFine(m), Long.parseLong(m.group(2)), now)) {
                    byHour.computeIfAbsent(Long.parseLong(m.group(2)), h -> new ArrayList<>())
                            .add(file);
                }
            });
        }
        for (List<Path> files : byHour.values()) {
            files.sort(WRITTEN);
            for (Path file : files) {
                Matcher m = NAME.matcher(file.getFileName().toString());
                read(file, m.matches() && isFine(m), into);
            }
        }
    }

    private static boolean isFine(Matcher name) {
        return name.group(1).equals("fine");
    }

    /** Removes the files no ring reaches any more. */
    void prune(long now) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Matcher m = NAME.matcher(file.getFileName().toString());
                if (m.matches() && !kept(isFine(m), Long.parseLong(m.group(2)), now)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Fine files: this hour's and the last; minute files: this hour's and the 24 before. */
    static boolean kept(boolean fine, long hour, long now) {
        long current = now / HOUR_MS;
        return hour <= current && hour >= current - (fine ? 1 : 24);
    }

    Path file(boolean fine, long hour) {
        return dir.resolve((fine ? "fine-" : "minute-") + hour + "-" + writer + ".jsonl.gz");
    }

    private static long writerOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(3)) : 0;
    }

    static String line(HistoryStore.Point point) {
        JsonObject figures = new JsonObject();
        point.figures().forEach((subject, metrics) -> {
            JsonObject of = new JsonObject();
            metrics.forEach(of::put);
            figures.put(subject, of);
        });
        return new JsonObject().put("t", point.time()).put("f", figures).encode() + "\n";
    }

    /** The point of a line, null when the line is not one. */
    static HistoryStore.Point point(boolean fine, String line) {
        try {
            JsonObject json = new JsonObject(line);
            Map<String, Map<String, Float>> figures = new LinkedHashMap<>();
            for (Map.Entry<String, Object> subject : json.getJsonObject("f")) {
                Map<String, Float> metrics = new LinkedHashMap<>();
                for (Map.Entry<String, Object> metric : (JsonObject) subject.getValue()) {
                    if (metric.getValue() instanceof Number n) {
                        metrics.put(metric.getKey(), n.floatValue());
                    }
                }
                figures.put(subject.getKey(), metrics);
            }
            return new HistoryStore.Point(fine, json.getLong("t"), figures);
        } catch (RuntimeException e) {
            return null; // a line damaged in the middle of the file: the others stand
        }
    }

    private void read(Path file, boolean fine, Consumer<HistoryStore.Point> into) {
        try (InputStream in = new BufferedInputStream(
                new GZIPInputStream(
                        new Bounded(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), MAX_FILE), 1 << 16),
                1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b != '\n') {
                    if (line.size() >= MAX_LINE) {
                        return; // not a line this code wrote: the rest of the file is not trusted
                    }
                    line.write(b);
                    continue;
                }
                HistoryStore.Point point = point(fine, line.toString(StandardCharsets.UTF_8));
                if (point != null) {
                    into.accept(point);
                }
                line.reset();
            }
        } catch (IOException e) {
            // a torn member (a write cut by a kill) or a damaged one: the lines before it are kept
        }
    }

    private void ensureFolder() throws IOException {
        PrivateFiles.makeFolder(dir);
        refuseUntrusted();
    }

    private void refuseUntrusted() throws IOException {
        String problem = Ownership.folderProblem("the history folder", dir, Ownership.currentUid());
        if (problem != null) {
            throw new JpmException(JpmError.FORBIDDEN, problem);
        }
    }

    /** A stream that ends after {@code left} bytes. */
    private static final class Bounded extends FilterInputStream {
        private long left;

        Bounded(InputStream in, long left) {
            super(in);
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            left -= b >= 0 ? 1 : 0;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(buffer, offset, (int) Math.min(length, left));
            left -= Math.max(n, 0);
            return n;
        }
    }
}
