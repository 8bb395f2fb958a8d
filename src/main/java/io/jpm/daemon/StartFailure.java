package io.jpm.daemon;

import io.jpm.protocol.Reasons;
import io.jpm.protocol.StartDeadline;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

    /**
     * Waits for every verticle; a start that fails is thrown, one that outlasts its deadline too, named
     * by the last step it finished (which says what it was waiting for: after "persist deployed", the
     * cluster's join).
     */
    static void await(Future<String> deployed, boolean clustered) throws Exception {
        try {
            // a first start's cluster join is part of it (Hazelcast gives a join up to 60 s; ClusterGate)
            deployed.await(StartDeadline.of(clustered), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new Refused("not up within " + StartDeadline.of(clustered) / 1000 + " s (the last step done: "
                    + StartTimeline.lastStep() + ")");
        }
    }

    static String why(Throwable failure) {
        return Reasons.of(failure);
    }
}
