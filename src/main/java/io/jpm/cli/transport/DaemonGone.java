package io.jpm.cli.transport;

import java.io.IOException;

/**
 * A connection that closed before the daemon answered anything on it, when nothing that acts had
 * gone out: a daemon killed a moment before (its threads still exiting, its door still accepting)
 * took the connection down with it. Nothing was done, so the command may run again on the next
 * daemon ({@code Main}): a command that meets a dying daemon answers, not "lost the daemon".
 */
public final class DaemonGone extends IOException {
    DaemonGone(IOException cause) {
        super(cause.getMessage() != null ? cause.getMessage() : "the connection closed before any answer", cause);
    }
}
