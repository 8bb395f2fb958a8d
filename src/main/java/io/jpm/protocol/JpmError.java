package io.jpm.protocol;

/**
 * Failure codes, numbered once. The daemon fails a request with {@code message.fail(code, text)};
 * the bridge hands the code to the client as {@code failureCode}; the CLI prints the text as is and
 * exits with {@link #exitStatus()}.
 */
public enum JpmError {
  INVALID_ARGUMENT(10, 2),
  UNKNOWN_TARGET(11, 1),
  SCRIPT_NOT_FOUND(12, 1),
  ALREADY_LAUNCHED(13, 1),
  INVALID_CONFIG(14, 1),
  SPAWN_FAILED(15, 1),
  FORBIDDEN(16, 3),
  UNAVAILABLE(17, 4),
  INTERNAL(99, 1);

  private final int code;
  private final int exitStatus;

  JpmError(int code, int exitStatus) {
    this.code = code;
    this.exitStatus = exitStatus;
  }

  public int code() {
    return code;
  }

  /** The CLI's exit status for this failure. */
  public int exitStatus() {
    return exitStatus;
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
