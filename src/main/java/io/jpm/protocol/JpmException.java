package io.jpm.protocol;

/** A failure with a numbered cause and a one-line message meant for the user as is. */
public final class JpmException extends RuntimeException {
    private final JpmError error;

    public JpmException(JpmError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public JpmError error() {
        return error;
    }
}
