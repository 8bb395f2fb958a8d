package io.jpm.deploy;

import java.util.regex.Pattern;

/**
 * POSIX shell quoting for the commands jpm sends to a host. pm2-deploy pastes paths and refs in
 * unquoted, so a path with a space or a quote breaks its commands; jpm quotes every value it
 * inserts. The hooks themselves ({@code post-deploy}, ...) are the user's shell text and go as is.
 */
final class Shell {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private Shell() {}

    /** {@code 'text'}, a single quote inside written as {@code '\''}: the shell reads it literally. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** The word as is when the shell would read it literally anyway, else quoted: for commands people read. */
    static String word(String text) {
        return PLAIN.matcher(text).matches() ? text : quote(text);
    }
}
