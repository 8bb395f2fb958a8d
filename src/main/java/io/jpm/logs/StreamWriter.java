package io.jpm.logs;

import io.jpm.protocol.LineCutter;
import io.jpm.protocol.StreamJournal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One instance run's stdout or stderr, turned into whole lines and written to its file(s): its own
 * (pm_out_log_path / pm_err_log_path) and the combined log_file, if any. Bytes after the last
 * newline wait for the rest of their line, up to {@link #MAX_PENDING}; a longer line is not held
 * (memory stays bounded): raw and timestamped lines stream through to disk and end at their
 * newline, still one whole line in the file; a JSON line is split into records of at most
 * {@link #MAX_PENDING} bytes each (a JSON record must be complete). A partial line nothing follows
 * for {@link LogAggregatorVerticle#HELD_LINE_MS} is written as it is ({@link #writeHeld}): a prompt,
 * a progress bar or an app that never ends its lines (pm2 writes each chunk as it comes) is in the
 * file at once, and the rest of its line follows on the same line. Bytes are written as received,
 * invalid UTF-8 included; only JSON and live events decode them (invalid bytes become U+FFFD).
 * Live listeners get a line streaming through in pieces as it comes, at most {@link #MAX_PENDING}
 * bytes of it in all, the last piece ending with a marker that says the line was cut.
 *
 * <p>A write that fails (a full disk) is not tried again: the bytes handed to a file are done with
 * whether they got there or not, as raw output always was. Trying again wrote twice what a short
 * write had already put on disk, and joined its torn end to the next line. The file keeps the whole
 * lines that got through ({@link LogFile}), the other files of the stream get every line, and the
 * call throws the first failure once it has done all the rest.
 *
 * <p>A little over ~300 lines: the line buffers, the files they go to and what a failed write leaves
 * behind (cut back to the last whole line) are one piece of state and read best together.
 */
final class StreamWriter {
    /** The longest partial line held in memory. */
    static final int MAX_PENDING = 64 * 1024;

    private static final int KEEP = 8 * 1024;
    /**
     * Formatted lines are written once this many bytes gather, so the buffer stays small whatever
     * the chunk's size (a 1 MiB chunk of short timestamped lines formats to about 4 MiB).
     */
    static final int OUT_FLUSH = 64 * 1024;

    final String app;
    final int pmId;
    final String stream;
    private final List<LogFile> targets;
    private final LineFormat format;
    private final Bytes pending = new Bytes(256);
    private final Bytes out = new Bytes(KEEP);
    /** Streaming an over-long line through: bytes go straight to disk until its newline. */
    private boolean midLine;
    /** When the bytes now held of an unfinished line began to wait. */
    private long heldSince;
    /** Something has been written or held: a line handed over now would come after it. */
    private boolean started;
    /** Bytes of the line streaming through that live listeners were sent. */
    private int liveSent;
    /** That line reached the live bound: its marker went out, the rest is not sent live. */
    private boolean liveCut;
    /** Files that lost the start of the long line streaming through: the rest of that line is not written there. */
    private final Set<LogFile> lineLost = new HashSet<>();
    /** The first write that failed in this call, thrown when the call ends. */
    private IOException failure;
    /** The stream's output journal (the last chunk's), told what is written; null without one. */
    StreamJournal journal;

    StreamWriter(String app, int pmId, String stream, List<LogFile> targets, LineFormat format) {
        this.app = app;
        this.pmId = pmId;
        this.stream = stream;
        this.targets = new ArrayList<>(targets);
        this.format = format;
    }

    List<LogFile> targets() {
        return targets;
    }

    /** The files' paths and sizes now: what a write about to start would be cut back to. */
    List<StreamJournal.Target> sizes() {
        List<StreamJournal.Target> sizes = new ArrayList<>(targets.size());
        for (LogFile file : targets) {
            sizes.add(new StreamJournal.Target(file.path().toString(), file.size()));
        }
        return sizes;
    }

    /** Bytes held of an unfinished line: taken, not written. */
    int heldBytes() {
        return pending.length();
    }

    /** Whether {@link #writeHeld} with {@code olderThan} would write something. */
    boolean holdsLineSince(long olderThan) {
        return !midLine && pending.length() > 0 && heldSince <= olderThan;
    }

    /** Writes the whole lines in {@code bytes} (and what was pending before them). */
    void write(byte[] bytes, LiveLines live, long now) throws IOException {
        write(bytes, bytes.length, live, now);
    }

    /**
     * Writes the whole lines in {@code bytes[0, length)} (and what was pending before them). Nothing
     * keeps a reference to {@code bytes}: what must outlive the call (a partial line, live lines) is
     * copied, so the caller may reuse the array once this returns.
     */
    void write(byte[] bytes, int length, LiveLines live, long now) throws IOException {
        take(bytes, length, live, now);
        throwFailure();
    }

    private void take(byte[] bytes, int length, LiveLines live, long now) {
        started = true;
        int start = 0;
        if (midLine) {
            int nl = Newlines.first(bytes, 0, length);
            int end = nl < 0 ? length : nl + 1;
            livePiece(live, now, bytes, 0, nl < 0 ? length : nl);
            writeAll(ByteBuffer.wrap(bytes, 0, end));
            if (nl < 0) {
                return;
            }
            endLongLine();
            start = end;
        }
        if (format.kind == LineFormat.Kind.RAW && !live.listening()) {
            // the common case costs one scan from the end and one gathering write per file
            int last = Newlines.last(bytes, start, length);
            if (last >= 0) {
                writeAll(pending.view(), ByteBuffer.wrap(bytes, start, last + 1 - start));
                pending.clear(KEEP);
                start = last + 1;
            }
            hold(bytes, start, length, live, now);
            return;
        }
        int i = start;
        for (int nl = Newlines.first(bytes, i, length); nl >= 0; nl = Newlines.first(bytes, i, length)) {
            if (pending.length() > 0) {
                pending.append(bytes, i, nl - i);
                line(pending.array(), 0, pending.length(), live, now);
                pending.clear(KEEP);
            } else {
                line(bytes, i, nl - i, live, now);
            }
            i = nl + 1;
            if (out.length() >= OUT_FLUSH) {
                flushOut(Integer.MAX_VALUE); // keeps the buffer for the rest of the chunk
            }
        }
        flushOut();
        hold(bytes, i, length, live, now);
    }

    /** The stream ended: a partial last line is written with a newline to end it. */
    void end(LiveLines live, long now) throws IOException {
        if (midLine) {
            writeAll(ByteBuffer.wrap(new byte[] {'\n'}));
            endLongLine();
        } else if (pending.length() > 0) {
            line(pending.array(), 0, pending.length(), live, now);
            pending.clear(KEEP);
            flushOut();
        }
        throwFailure();
    }

    /**
     * Writes the unfinished line held since {@code olderThan} or before, as far as it goes: raw and
     * timestamped, its rest then streams through to its newline, as an over-long line does; JSON,
     * it is a record of its own.
     */
    void writeHeld(long olderThan, LiveLines live, long now) throws IOException {
        if (!holdsLineSince(olderThan)) {
            return;
        }
        if (format.kind == LineFormat.Kind.JSON) {
            line(pending.array(), 0, pending.length(), live, now);
            pending.clear(KEEP);
            flushOut();
        } else {
            livePiece(live, now, pending.array(), 0, pending.length());
            startLongLine(ByteBuffer.wrap(format.prefix(now)), pending.view());
        }
        throwFailure();
    }

    private void line(byte[] bytes, int offset, int length, LiveLines live, long now) {
        format.append(out, bytes, offset, length, now);
        if (live.listening()) {
            live.add(app, pmId, stream, new String(bytes, offset, length, StandardCharsets.UTF_8), now);
        }
    }

    /** Keeps bytes of an unfinished line, or streams them through when the line is too long. */
    private void hold(byte[] bytes, int from, int to, LiveLines live, long now) {
        int count = to - from;
        if (count == 0) {
            return;
        }
        if (pending.length() + count <= MAX_PENDING) {
            if (pending.length() == 0) {
                heldSince = now;
            }
            pending.append(bytes, from, count);
            return;
        }
        if (format.kind == LineFormat.Kind.JSON) {
            int i = from;
            while (pending.length() + (to - i) > MAX_PENDING) {
                int take = MAX_PENDING - pending.length();
                pending.append(bytes, i, take);
                i += take;
                line(pending.array(), 0, pending.length(), live, now);
                pending.clear(KEEP);
            }
            flushOut();
            pending.append(bytes, i, to - i);
            return;
        }
        if (live.listening()) {
            // one live line: what was held and as much of this chunk as the bound lets through
            int taken = Math.min(count, MAX_PENDING + 1 - pending.length());
            byte[] start = Arrays.copyOf(pending.array(), pending.length() + taken);
            System.arraycopy(bytes, from, start, pending.length(), taken);
            livePiece(live, now, start, 0, start.length);
        }
        startLongLine(ByteBuffer.wrap(format.prefix(now)), pending.view(), ByteBuffer.wrap(bytes, from, count));
    }

    /**
     * A piece of the line now streaming through, for live listeners: the pieces of one line carry
     * at most {@link #MAX_PENDING} bytes of it in all; the piece that reaches the bound ends with
     * {@link LineCutter#liveMarker}, and the rest of the line goes to the files only.
     */
    private void livePiece(LiveLines live, long now, byte[] bytes, int offset, int length) {
        if (!live.listening() || liveCut || length == 0) {
            return;
        }
        int room = MAX_PENDING - liveSent;
        if (length <= room) {
            live.add(app, pmId, stream, new String(bytes, offset, length, StandardCharsets.UTF_8), now);
            liveSent += length;
            return;
        }
        int shown = LineCutter.wholeCharacters(bytes, offset, room);
        live.add(
                app,
                pmId,
                stream,
                new String(bytes, offset, shown, StandardCharsets.UTF_8) + LineCutter.liveMarker(liveSent + shown),
                now);
        liveCut = true;
    }

    /** Writes the start of a line whose rest streams through after it: the files are this writer's until its end. */
    private void startLongLine(ByteBuffer... start) {
        writeAll(start);
        for (LogFile file : targets) {
            file.owner = this;
        }
        pending.clear(KEEP);
        midLine = true;
    }

    private void endLongLine() {
        midLine = false;
        liveSent = 0;
        liveCut = false;
        lineLost.clear();
        for (LogFile file : targets) {
            if (file.owner == this) {
                file.owner = null;
            }
        }
    }

    private void flushOut() {
        flushOut(KEEP);
    }

    private void flushOut(int keep) {
        if (out.length() > 0) {
            writeAll(out.view());
            out.clear(keep);
        }
    }

    /**
     * Writes the buffers to every file of the stream, once: a file that fails keeps what it has of
     * them (whole lines), and the failure is kept for {@link #throwFailure}. Bytes that do not end a
     * line start or continue a long line: a file that failed them gets nothing more of that line.
     */
    private void writeAll(ByteBuffer... buffers) {
        boolean endsLine = Newlines.endsLine(buffers);
        for (LogFile file : targets) {
            if (lineLost.contains(file)) {
                continue;
            }
            for (ByteBuffer b : buffers) {
                b.mark();
            }
            try {
                file.write(buffers);
            } catch (IOException e) {
                failure = failure == null ? e : failure;
                if (!endsLine) {
                    lineLost.add(file);
                }
            } finally {
                for (ByteBuffer b : buffers) {
                    b.reset();
                }
            }
        }
    }

    private void throwFailure() throws IOException {
        IOException first = failure;
        failure = null;
        if (first != null) {
            throw first;
        }
    }
}
