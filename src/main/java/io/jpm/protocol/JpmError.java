package io.jpm.protocol;

/**
 * Failure codes, numbered once. The daemon fails a request with {@code message.fail(code, text)};
 * the bridge hands the code to the client as {@code failureCode}; the CLI prints the text as is and
 * exits with {@link #exitStatus()}: 1 for every failure, as pm2 does, so scripts written for pm2
 * read jpm's exit codes the same way. The code tells failures apart, the exit status does not.
 */
public enum JpmError {
    INVALID_ARGUMENT(10),
    UNKNOWN_TARGET(11),
    SCRIPT_NOT_FOUND(12),
    ALREADY_LAUNCHED(13),
    INVALID_CONFIG(14),
    SPAWN_FAILED(15),
    FORBIDDEN(16),
    UNAVAILABLE(17),
    /** A file the daemon had to write did not fit on its disk; what was there before is kept. */
    DISK_FULL(18),
    INTERNAL(99);

    private final int code;

    JpmError(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The CLI's exit status for this failure. */
    public int exitStatus() {
        return ProcessEnd.Code.FAILURE.status;
    }

    public static JpmError fromCode(int code) {
        for (JpmError e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        return INTERNAL;
    }
}
