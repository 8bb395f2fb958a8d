package io.jpm.logs;

import io.jpm.protocol.LineLayout;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How a line goes to disk: the pieces of its {@link LineLayout} (declared there once, for the keeper
 * too), rendered around the line. What comes before the line and after it is made once per
 * millisecond, so a line costs two copies of bytes made already, and its own.
 */
final class LineFormat {
    enum Kind {
        RAW,
        DATE,
        JSON
    }

    final Kind kind;
    private final LineLayout layout;
    /** The pieces before the line's and after it. */
    private final List<LineLayout.Piece> before;

    private final List<LineLayout.Piece> after;
    /** The line's piece: as received, or as a JSON string. */
    private final boolean jsonLine;

    private long cachedAt = Long.MIN_VALUE;
    private byte[] cachedBefore;
    private byte[] cachedAfter;

    private LineFormat(Kind kind, LineLayout layout) {
        this.kind = kind;
        this.layout = layout;
        List<LineLayout.Piece> pieces = layout.pieces();
        int at = 0;
        while (pieces.get(at).kind() != LineLayout.Kind.LINE && pieces.get(at).kind() != LineLayout.Kind.JSON_LINE) {
            at++;
        }
        this.before = pieces.subList(0, at);
        this.after = pieces.subList(at + 1, pieces.size());
        this.jsonLine = pieces.get(at).kind() == LineLayout.Kind.JSON_LINE;
    }

    static final LineFormat RAW = of(null, false, "out", 0, "");

    /** @param dateFormat a format already checked by the config parser, or null */
    static LineFormat of(String dateFormat, boolean json, String stream, int pmId, String app) {
        LineLayout layout = LineLayout.of(dateFormat, json, stream, pmId, app);
        Kind kind = json ? Kind.JSON : layout.timed() ? Kind.DATE : Kind.RAW;
        return new LineFormat(kind, layout);
    }

    /** Appends one formatted line ({@code line} without its newline) to {@code out}. */
    void append(Bytes out, byte[] line, int offset, int length, long now) {
        render(now);
        out.append(cachedBefore);
        if (jsonLine) {
            String message = new String(line, offset, length, StandardCharsets.UTF_8) + "\n";
            out.append(LineLayout.quote(message).getBytes(StandardCharsets.UTF_8));
        } else {
            out.append(line, offset, length);
        }
        out.append(cachedAfter);
    }

    /**
     * What goes before the first bytes of a line streamed through (too long to hold, or held too
     * long): its pieces before the line; none for a JSON record, which is never streamed through.
     */
    byte[] prefix(long now) {
        if (jsonLine) {
            return new byte[0];
        }
        render(now);
        return cachedBefore;
    }

    /** The pieces around the line for {@code now}, made once per millisecond. */
    private void render(long now) {
        if (now == cachedAt && cachedBefore != null) {
            return;
        }
        String time = layout.timed() ? layout.time(now) : null;
        cachedBefore = rendered(before, time);
        cachedAfter = rendered(after, time);
        cachedAt = now;
    }

    private static byte[] rendered(List<LineLayout.Piece> pieces, String time) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        for (LineLayout.Piece p : pieces) {
            String text =
                    switch (p.kind()) {
                        case TEXT -> p.text();
                        case TIME -> time;
                        case NEWLINE -> "\n";
                        case LINE, JSON_LINE -> throw new AssertionError("one line a layout");
                    };
            bytes.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
