package io.jpm.daemon;

import io.jpm.protocol.Reasons;

/**
 * Why the daemon could not start, in words that fit on the line the client prints ("the daemon
 * exited at start (code 1): <why>; see daemon.log"); daemon.log keeps the whole stack.
 */
final class StartFailure {
    /** What the daemon logs before it exits on a start it refuses; the client looks for it (cli.transport.StartLog). */
    static final String MARKER = "daemon failed to start: ";

    private StartFailure() {}

    /**
     * A start the daemon refuses for a reason its message says in full (a bad setting, a start past
     * its deadline): thrown to the start's thread, which logs it after {@link #MARKER}, with no
     * stack, and ends the JVM.
     */
    static final class Refused extends RuntimeException {
        Refused(String why) {
            super(why, null, false, false);
        }
    }

    static String why(Throwable failure) {
        return Reasons.of(failure);
    }
}
