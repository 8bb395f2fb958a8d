package io.jpm.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.jpm.protocol.BlockingCall;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.Ownership;
import io.jpm.protocol.PrivateFiles;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
 * The history on disk (JPM_HOME/history, 0700): for each ring ({@link Tier}) one file an hour per
 * writer, a day for the 10 minutes' ring: {@code fine-<hour>-<writer>.jsonl.gz},
 * {@code minute-<hour>-<writer>.jsonl.gz} and {@code week-<hour>-<writer>.jsonl.gz} ({@code <hour>}:
 * hours since the epoch, the day's first for a week file; {@code <writer>}: when the daemon that
 * writes it started, ms), append-only,
 * each write one gzip member of JSON lines ({@code {"t":<ms>,"f":{"<subject>":{"<metric>":<figure>}}}}).
 * Crash-only: a write cut short by a kill leaves a torn member at the end of its writer's file, and a
 * reader keeps every line before it and ignores the rest; the next daemon writes files of its own, so
 * nothing it writes comes after a torn member (a write that failed moves to a new writer too). A
 * line that is not JSON is skipped. Bounded: fine files are kept for two hours, minute
 * files for 25, week files for 9 days, and a reader holds one subject's figures at a time and reads no file past
 * {@link #MAX_FILE} bytes. Every method may wait on the disk: a worker's.
 */
final class HistoryFiles {
    static final long HOUR_MS = 3_600_000;
    static final long MAX_FILE = 512L << 20;
    private static final Pattern NAME = Pattern.compile("(fine|minute|week)-(\\d{1,10})-(\\d{1,19})\\.jsonl\\.gz");
    /** jackson-core's streaming API (the daemon's JSON library): no map or box per figure. */
    private static final JsonFactory JSON =
            JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private static final Comparator<Path> WRITTEN =
            Comparator.comparingLong(HistoryFiles::writerOf).thenComparing(Path::toString);

    private final Path dir;
    /** This writer's tag in the names of its files. */
    private long writer;
    /**
     * The folder was made or found, and found the user's, by this writer: made and checked again only
     * when a write failed or it is no longer a folder (one lstat). Each minute's write used to make and
     * check it, and list it for files past keeping: over a third of the write's CPU (200 apps, in a
     * profile); a file past keeping is one of an hour gone, so the folder is pruned once an hour
     * ({@link #prunedHour}).
     */
    private boolean folderReady;
    /** The hour of {@link #prune}'s last run; -1: none yet. */
    private long prunedHour = -1;

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

    /** Appends the points, one gzip member per file they fall in; the first write of an hour removes the files past keeping. */
    void append(List<HistoryStore.Point> points, long now) throws IOException {
        BlockingCall.check("a write of " + dir);
        if (!folderReady || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            ensureFolder();
            folderReady = true;
        }
        Map<Path, List<HistoryStore.Point>> byFile = new TreeMap<>();
        for (HistoryStore.Point point : points) {
            byFile.computeIfAbsent(file(point.tier(), point.time() / HOUR_MS), f -> new ArrayList<>())
                    .add(point);
        }
        for (Map.Entry<Path, List<HistoryStore.Point>> entry : byFile.entrySet()) {
            ByteArrayOutputStream member = new ByteArrayOutputStream();
            try (OutputStream gzip = new GZIPOutputStream(member)) {
                for (HistoryStore.Point point : entry.getValue()) {
                    write(point, gzip);
                }
            }
            // the whole member in one write: a kill tears at most this one, at the file's end
            try (FileChannel channel = PrivateFiles.openAppend(entry.getKey())) {
                ByteBuffer bytes = ByteBuffer.wrap(member.toByteArray());
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            } catch (IOException e) {
                // part of the member may be written: what follows goes to files of a new writer, in a
                // folder made and checked again (removed meanwhile, say)
                writer = Math.max(writer + 1, System.currentTimeMillis());
                folderReady = false;
                throw e;
            }
        }
        if (now / HOUR_MS != prunedHour) {
            prune(now);
            prunedHour = now / HOUR_MS;
        }
    }

    /** Where a reader puts what it reads: one subject's figures of one point at a time. */
    interface Sink {
        void figures(Tier tier, long time, String subject, Map<String, Float> metrics);
    }

    /** Each point the files hold that the rings may still show at {@code now}, oldest file first. */
    void load(long now, Sink into) throws IOException {
        BlockingCall.check("a read of " + dir);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        refuseUntrusted();
        TreeMap<Long, List<Path>> byHour = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(file -> {
                Matcher m = NAME.matcher(file.getFileName().toString());
                if (m.matches() && kept(tierOf(m), Long.parseLong(m.group(2)), now)) {
                    byHour.computeIfAbsent(Long.parseLong(m.group(2)), h -> new ArrayList<>())
                            .add(file);
                }
            });
        }
        for (List<Path> files : byHour.values()) {
            files.sort(WRITTEN);
            for (Path file : files) {
                Matcher m = NAME.matcher(file.getFileName().toString());
                if (m.matches()) {
                    read(file, tierOf(m), into);
                }
            }
        }
    }

    /** As {@link #load(long, Sink)}, each point whole (tests). */
    void load(long now, Consumer<HistoryStore.Point> into) throws IOException {
        load(
                now,
                (tier, time, subject, metrics) ->
                        into.accept(new HistoryStore.Point(tier, time, Map.of(subject, Map.copyOf(metrics)))));
    }

    private static Tier tierOf(Matcher name) {
        return Tier.of(name.group(1));
    }

    /** Removes the files no ring reaches any more. */
    void prune(long now) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Matcher m = NAME.matcher(file.getFileName().toString());
                if (m.matches() && !kept(tierOf(m), Long.parseLong(m.group(2)), now)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /**
     * Fine files: this hour's and the last; minute files: this hour's and the 24 before; week files
     * (a day each): this day's and the 8 before (their last cells still in the ring).
     */
    static boolean kept(Tier tier, long hour, long now) {
        long current = now / HOUR_MS;
        return hour <= current && hour >= current - tier.keptHours;
    }

    /** The file of this writer the tier's points of {@code hour} go to. */
    Path file(Tier tier, long hour) {
        return dir.resolve(tier.word + "-" + (hour - hour % tier.fileHours) + "-" + writer + ".jsonl.gz");
    }

    private static long writerOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(3)) : 0;
    }

    /** A point as its line in a file. */
    static String line(HistoryStore.Point point) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(point, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void write(HistoryStore.Point point, OutputStream out) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("t", point.time());
            json.writeObjectFieldStart("f");
            for (Map.Entry<String, Map<String, Float>> subject : point.figures().entrySet()) {
                json.writeObjectFieldStart(subject.getKey());
                for (Map.Entry<String, Float> metric : subject.getValue().entrySet()) {
                    json.writeNumberField(metric.getKey(), metric.getValue());
                }
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeEndObject();
            json.writeRaw('\n');
        }
    }

    /**
     * Reads a file's lines with jackson-core's streaming parser, one subject at a time into the sink
     * (no line is held whole: a reader holds one subject's figures): the first thing that is not a
     * point (a torn or damaged member, a line that is not ours) ends the file, what came before stands.
     */
    private void read(Path file, Tier tier, Sink into) {
        try (InputStream in = new GZIPInputStream(
                        new Bounded(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), MAX_FILE), 1 << 16);
                JsonParser json = JSON.createParser(in)) {
            Map<String, Float> metrics = new LinkedHashMap<>();
            while (json.nextToken() == JsonToken.START_OBJECT) {
                expect(json.nextFieldName(), "t");
                json.nextToken();
                long time = json.getLongValue();
                expect(json.nextFieldName(), "f");
                expect(json.nextToken(), JsonToken.START_OBJECT);
                for (String subject = json.nextFieldName(); subject != null; subject = json.nextFieldName()) {
                    expect(json.nextToken(), JsonToken.START_OBJECT);
                    metrics.clear();
                    for (String metric = json.nextFieldName(); metric != null; metric = json.nextFieldName()) {
                        json.nextToken();
                        metrics.put(metric, json.getFloatValue());
                    }
                    into.figures(tier, time, subject, metrics);
                }
                expect(json.nextToken(), JsonToken.END_OBJECT);
            }
        } catch (IOException | RuntimeException e) {
            // a torn member (a write cut by a kill) or a damaged one: the points before it are kept
        }
    }

    private static void expect(Object found, Object wanted) throws IOException {
        if (!wanted.equals(found)) {
            throw new IOException("not a history line: " + found + " where " + wanted + " was expected");
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
