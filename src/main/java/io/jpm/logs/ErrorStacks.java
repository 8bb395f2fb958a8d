package io.jpm.logs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The stack traces in one stream of an app's error output, found line by line as the chunks come: a
 * line followed by frames ({@code "    at f (file:1:2)"}: Node, {@code "\tat a.B.c(B.java:3)"}: the JVM,
 * with their {@code Caused by:} and {@code ... 5 more}), or Python's {@code Traceback (most recent call
 * last):} up to its message line. A stack's end is the first line that is not one of its own; one whose
 * frames were the stream's last bytes is ended by {@link #flush} (the aggregator's timer, the stream's
 * end): a JVM writes a stack a line at a time, so its frames come in several reads of the pipe.
 * Bounded: a line is kept to {@link #MAX_LINE} characters, a stack to {@link #MAX_FRAMES} lines.
 */
final class ErrorStacks {
    static final int MAX_LINE = 1_000;
    static final int MAX_FRAMES = 100;
    private static final Pattern FRAME = Pattern.compile("^\\s+at\\s+\\S.*");
    private static final Pattern MORE = Pattern.compile("^\\s+\\.\\.\\. \\d+ more.*");
    private static final String TRACEBACK = "Traceback (most recent call last):";
    private static final byte[][] MARKS = {
        "    at ".getBytes(StandardCharsets.US_ASCII),
        "\tat ".getBytes(StandardCharsets.US_ASCII),
        TRACEBACK.getBytes(StandardCharsets.US_ASCII)
    };

    /** A stack found: its message (the line before the frames, or Python's last), its first frame, its text. */
    record Stack(String message, String place, String text) {}

    /** The last line that may head a stack whose frames come next. */
    private String candidate;
    /** The end of the last chunk after its last newline: the start of a line. */
    private String partial = "";

    private List<String> lines;
    private String place;
    private boolean python;

    /** One chunk of the stream's bytes; stacks that end in it go to {@code found}. */
    void chunk(byte[] bytes, int length, Consumer<Stack> found) {
        if (lines == null && partial.isEmpty() && !marked(bytes, length)) {
            // no stack starts or goes on here: only its last line may head one in the next chunk
            int lastNl = lastNewline(bytes, length);
            int from = lastPrevious(bytes, lastNl);
            if (lastNl >= 0) {
                remember(new String(bytes, from, Math.min(lastNl - from, MAX_LINE * 4), StandardCharsets.UTF_8));
            }
            partial =
                    cut(new String(bytes, lastNl + 1, Math.min(length - lastNl - 1, MAX_LINE), StandardCharsets.UTF_8));
            return;
        }
        String text = partial + new String(bytes, 0, length, StandardCharsets.UTF_8);
        int start = 0;
        for (int nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
            line(text.substring(start, nl), found);
            start = nl + 1;
        }
        partial = cut(text.substring(start));
    }

    /** Whether a stack is open: {@link #flush} ends it. */
    boolean pending() {
        return lines != null;
    }

    /** Ends the stack under way, as the stream's end or a quiet pipe does. */
    void flush(Consumer<Stack> found) {
        if (lines != null && !python) {
            found.accept(new Stack(message(lines.get(0)), place, String.join("\n", lines)));
        }
        lines = null;
        python = false;
    }

    void line(String raw, Consumer<Stack> found) {
        String line = cut(raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw);
        if (python) {
            python(line, found);
            return;
        }
        boolean frame = FRAME.matcher(line).matches();
        if (frame
                || lines != null
                        && (line.startsWith("Caused by: ") || MORE.matcher(line).matches())) {
            if (lines == null) {
                if (candidate == null) {
                    return; // frames with no line before them: the stack's head was cut off
                }
                lines = new ArrayList<>(List.of(candidate));
                place = line.trim();
            }
            if (lines.size() < MAX_FRAMES) {
                lines.add(line);
            }
            return;
        }
        flush(found);
        if (line.startsWith(TRACEBACK)) {
            python = true;
            lines = new ArrayList<>(List.of(line));
            place = "";
        }
        remember(line);
    }

    /** Inside a Python traceback: indented lines are its frames, the first other one its message. */
    private void python(String line, Consumer<Stack> found) {
        if (!line.isEmpty() && Character.isWhitespace(line.charAt(0))) {
            if (line.trim().startsWith("File ")) {
                place = line.trim(); // Python lists the innermost frame last: where it was raised
            }
            if (lines.size() < MAX_FRAMES) {
                lines.add(line);
            }
            return;
        }
        lines.add(line);
        found.accept(new Stack(line, place, String.join("\n", lines)));
        lines = null;
        python = false;
        remember(line);
    }

    private void remember(String line) {
        candidate = line.isBlank() ? null : cut(line);
    }

    /** The header without what the runtime puts before every message. */
    static String message(String header) {
        String m = header.trim();
        if (m.startsWith("Exception in thread ")) {
            int q = m.indexOf('"', m.indexOf('"') + 1);
            m = q > 0 ? m.substring(q + 1).trim() : m;
        }
        return m.startsWith("Uncaught ") ? m.substring("Uncaught ".length()) : m;
    }

    private static String cut(String s) {
        return s.length() <= MAX_LINE ? s : s.substring(0, MAX_LINE);
    }

    private static boolean marked(byte[] bytes, int length) {
        for (byte[] mark : MARKS) {
            if (indexOf(bytes, length, mark) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] bytes, int length, byte[] mark) {
        outer:
        for (int i = 0; i + mark.length <= length; i++) {
            for (int j = 0; j < mark.length; j++) {
                if (bytes[i + j] != mark[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int lastNewline(byte[] bytes, int length) {
        int i = length - 1;
        while (i >= 0 && bytes[i] != '\n') {
            i--;
        }
        return i;
    }

    /** Where the line that ends at {@code nl} begins. */
    private static int lastPrevious(byte[] bytes, int nl) {
        int i = nl - 1;
        while (i >= 0 && bytes[i] != '\n') {
            i--;
        }
        return i + 1;
    }
}
