package io.jpm.deploy;

/**
 * Bad input to {@code jpm deploy}: a one-line message naming the problem and where it is, found
 * before any host is touched.
 */
final class DeployException extends RuntimeException {
    DeployException(String message) {
        super(message, null, false, false);
    }
}
