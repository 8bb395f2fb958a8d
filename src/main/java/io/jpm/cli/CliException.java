package io.jpm.cli;

import io.jpm.protocol.JpmError;

/** A failure the CLI reports as one line on stderr, exiting with the error's status. */
public final class CliException extends RuntimeException {
    public final JpmError error;

    public CliException(JpmError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public static CliException usage(String message) {
        return new CliException(JpmError.INVALID_ARGUMENT, message);
    }
}
