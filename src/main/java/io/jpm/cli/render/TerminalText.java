package io.jpm.cli.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An app's text made harmless for the operator's terminal. The app wrote its lines, not the
 * operator's screen: an escape sequence in a log line could set the operator's clipboard (OSC 52),
 * clear the screen (CSI 2J), retitle the window or rewrite what was printed before (a carriage
 * return, a backspace). Every control character but the tab is shown in caret notation, as
 * {@code cat -v} and {@code less} do ({@code ESC} as {@code ^[}, {@code CR} as {@code ^M}, DEL as
 * {@code ^?}); a C1 control (U+0080-U+009F, which some terminals obey as well) as the 7-bit
 * sequence it stands for ({@code U+009B} as {@code ^[[}). {@code jpm logs} and {@code jpm monit}
 * show app lines through it.
 */
public final class TerminalText {
    private TerminalText() {}

    /** {@code text} with its control characters shown, not obeyed; the same string when it has none. */
    public static String harmless(String text) {
        int first = 0;
        while (first < text.length() && !control(text.charAt(first))) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!control(c)) {
                out.append(c);
            } else if (c == 0x7f) {
                out.append("^?");
            } else if (c < 0x20) {
                out.append('^').append((char) (c + 0x40));
            } else {
                out.append("^[").append((char) (c - 0x40));
            }
        }
        return out.toString();
    }

    /** A JSON text with its C1 controls written as {@code \\u0080}-{@code \\u009f} escapes (the same string to a JSON reader). */
    public static String escapeC1(String json) {
        StringBuilder out = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c >= 0x80 && c <= 0x9f) {
                if (out == null) {
                    out = new StringBuilder(json.length() + 8).append(json, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? json : out.toString();
    }

    private static boolean control(char c) {
        return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f);
    }

    /**
     * Whether this process's standard output is a terminal, whatever its standard input is
     * ({@link System#console()} needs both: {@code jpm logs < /dev/null} on a terminal is still
     * read on one).
     */
    public static boolean stdoutIsTerminal() {
        if (System.console() != null) {
            return true;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
