package io.jpm.cli.transport;

import io.jpm.cli.CliException;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.Reasons;
import java.io.IOException;
import java.net.ConnectException;

/**
 * A connection to the daemon's TCP door, tried again while the door is full. A door that nothing
 * listens on refuses at once: no daemon runs there. One that a local user keeps full (connection
 * churn, docs/SECURITY.md) drops the connect or, past its cap, closes a newcomer that has not shown
 * its token yet: a daemon runs there, and taking it for a dead one would start a second daemon in the
 * home (ChurnIT: one such try, then 13 commands that each tried to start one). So each try is short,
 * and a new one sends a new SYN at once rather than after the kernel's 1 s and 3 s, until the
 * daemon answers the token's ping or {@link #PATIENCE_MS} has passed.
 */
final class TcpConnect {
    /** How long a full door is tried: a churn that keeps a token holder out this long is a flood. */
    static final int PATIENCE_MS = 15_000;
    /** The first try's connect timeout, doubled on each try up to {@link #LONGEST_TRY_MS}. */
    private static final int FIRST_TRY_MS = 250;

    private static final int LONGEST_TRY_MS = 2_000;

    /** One try: a connection whose ping the daemon answered, within these timeouts. */
    interface Attempt {
        BridgeClient connect(int connectTimeoutMs, int answerTimeoutMs) throws IOException;
    }

    private TcpConnect() {}

    /**
     * A client through {@code attempt}.
     *
     * @throws ConnectException when nothing listens at {@code door}: no daemon runs there
     * @throws CliException when the door took no connection within {@link #PATIENCE_MS}
     */
    static BridgeClient connect(String door, Attempt attempt) throws IOException {
        long deadline = System.currentTimeMillis() + PATIENCE_MS;
        int connectTimeout = FIRST_TRY_MS;
        while (true) {
            // the answer may take long on a busy machine: a slow daemon is not a full door
            int left = (int) Math.max(1, deadline - System.currentTimeMillis());
            try {
                return attempt.connect(Math.min(connectTimeout, left), left);
            } catch (ConnectException e) {
                throw e;
            } catch (IOException e) {
                if (System.currentTimeMillis() >= deadline) {
                    throw new CliException(
                            JpmError.UNAVAILABLE,
                            "the daemon's door at " + door + " took no connection within " + PATIENCE_MS / 1000 + " s ("
                                    + Reasons.of(e)
                                    + "): the daemon is stuck, or something floods its port (docs/SECURITY.md)");
                }
                connectTimeout = Math.min(connectTimeout * 2, LONGEST_TRY_MS);
            }
        }
    }
}
