package io.jpm.logs;

import io.jpm.protocol.LogLine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last bytes each instance wrote to its out and err, in the order the daemon read them: the
 * only place that order is known, as an app's two files each keep only their own. A page showing an
 * app's recent lines reads them here, interleaved as written, rather than one file then the other.
 *
 * <p>Kept per chunk, not per line: a chunk costs one copy of at most {@link #BYTES_PER_INSTANCE}
 * bytes, and nothing is split or decoded until someone asks. Bounded: that many bytes per instance,
 * {@link #MAX_INSTANCES} instances (the least recently written dropped first). The LogAggregator's
 * thread only.
 */
final class RecentOutput {
    /** About 50 lines of 300 bytes: what a log pane shows when it opens. */
    static final int BYTES_PER_INSTANCE = 16 * 1024;

    static final int MAX_INSTANCES = 1024;

    /** One chunk's bytes (its tail, when it was longer than what an instance keeps). */
    private static final class Piece {
        final boolean err;
        final long seq;
        byte[] bytes;

        Piece(boolean err, long seq, byte[] bytes) {
            this.err = err;
            this.seq = seq;
            this.bytes = bytes;
        }
    }

    /** An instance's pieces, oldest first, and whether each stream's oldest line kept lost its start. */
    private static final class Instance {
        final String app;
        final ArrayDeque<Piece> pieces = new ArrayDeque<>();
        int bytes;
        final boolean[] cut = new boolean[2];

        Instance(String app) {
            this.app = app;
        }
    }

    private final Map<Integer, Instance> instances = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Instance> eldest) {
            return size() > MAX_INSTANCES;
        }
    };

    private long seq;

    /** Keeps {@code bytes[0, length)} as the instance's newest output on {@code stream}. */
    void add(String app, int pmId, String stream, byte[] bytes, int length) {
        Instance instance = instances.get(pmId);
        if (instance == null || !instance.app.equals(app)) { // a pm_id given to another app after a delete
            instance = new Instance(app);
            instances.put(pmId, instance);
        }
        int kept = Math.min(length, BYTES_PER_INSTANCE);
        byte[] copy = new byte[kept];
        System.arraycopy(bytes, length - kept, copy, 0, kept);
        boolean err = "err".equals(stream);
        if (kept < length) {
            instance.cut[err ? 1 : 0] = bytes[length - kept - 1] != '\n';
        }
        instance.pieces.addLast(new Piece(err, ++seq, copy));
        instance.bytes += kept;
        trim(instance);
    }

    /** Drops the oldest bytes beyond the bound: whole pieces, then the start of the oldest one. */
    private static void trim(Instance instance) {
        while (instance.bytes > BYTES_PER_INSTANCE) {
            Piece oldest = instance.pieces.peekFirst();
            int over = instance.bytes - BYTES_PER_INSTANCE;
            // the stream's oldest line kept starts mid-line unless what goes ended one
            int lastGone = Math.min(over, oldest.bytes.length) - 1;
            instance.cut[oldest.err ? 1 : 0] = oldest.bytes[lastGone] != '\n';
            if (oldest.bytes.length <= over) {
                instance.pieces.removeFirst();
                instance.bytes -= oldest.bytes.length;
            } else {
                byte[] rest = new byte[oldest.bytes.length - over];
                System.arraycopy(oldest.bytes, over, rest, 0, rest.length);
                oldest.bytes = rest;
                instance.bytes -= over;
            }
        }
    }

    /** The instance's bytes go ({@code jpm flush}). */
    void forget(int pmId) {
        instances.remove(pmId);
    }

    /** Whether any of these instances wrote something this daemon kept. */
    boolean has(Collection<Integer> pmIds) {
        return pmIds.stream().anyMatch(instances::containsKey);
    }

    /**
     * The last {@code n} lines of these instances, out and err interleaved as they were read; a
     * line not ended yet comes last of its stream. {@code time} is 0: the daemon keeps no clock per
     * line here.
     */
    List<LogLine> lines(Collection<Integer> pmIds, int n) {
        List<Numbered> all = new ArrayList<>();
        for (Integer pmId : pmIds) {
            Instance instance = instances.get(pmId);
            if (instance != null) {
                split(instance, pmId, all);
            }
        }
        all.sort(Comparator.comparingLong(Numbered::order));
        List<LogLine> last = new ArrayList<>(Math.min(n, all.size()));
        for (Numbered line : all.subList(Math.max(0, all.size() - n), all.size())) {
            last.add(line.line());
        }
        return last;
    }

    /** A line and where it goes in the order: its piece's number, then its place in the piece. */
    private record Numbered(long order, LogLine line) {}

    /** The instance's lines: each ends in the piece that holds its newline, and is placed there. */
    private static void split(Instance instance, int pmId, List<Numbered> into) {
        Map<Boolean, ByteArrayOutputStream> open = new HashMap<>();
        Map<Boolean, Boolean> skip = new HashMap<>();
        skip.put(false, instance.cut[0]);
        skip.put(true, instance.cut[1]);
        Map<Boolean, Long> lastOrder = new HashMap<>();
        for (Piece piece : instance.pieces) {
            int start = 0;
            int place = 0;
            for (int nl = Newlines.first(piece.bytes, 0, piece.bytes.length);
                    nl >= 0;
                    nl = Newlines.first(piece.bytes, start, piece.bytes.length)) {
                // a line's bytes are decoded whole: a character may straddle two pieces
                ByteArrayOutputStream line = open.computeIfAbsent(piece.err, k -> new ByteArrayOutputStream());
                line.write(piece.bytes, start, nl - start);
                long order = piece.seq * (BYTES_PER_INSTANCE + 1L) + place++;
                if (!skip.put(piece.err, false)) {
                    into.add(new Numbered(order, line(instance.app, pmId, piece.err, line)));
                }
                open.remove(piece.err);
                start = nl + 1;
            }
            if (start < piece.bytes.length) {
                open.computeIfAbsent(piece.err, k -> new ByteArrayOutputStream())
                        .write(piece.bytes, start, piece.bytes.length - start);
                lastOrder.put(piece.err, piece.seq * (BYTES_PER_INSTANCE + 1L) + BYTES_PER_INSTANCE);
            }
        }
        open.forEach((err, line) -> {
            if (!skip.get(err)) {
                into.add(new Numbered(lastOrder.get(err), line(instance.app, pmId, err, line)));
            }
        });
    }

    private static LogLine line(String app, int pmId, boolean err, ByteArrayOutputStream bytes) {
        String text = bytes.toString(StandardCharsets.UTF_8);
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        return new LogLine(app, pmId, err ? "err" : "out", text, 0L);
    }
}
