package io.jpm.balancer;

import io.vertx.core.Future;

/** What listens on an app's public port: bytes ({@link TcpFrontend}) or requests ({@link HttpFrontend}). */
interface Frontend {
    /** Binds the public port; completes with the port actually bound. */
    Future<Integer> listen();

    Future<Void> close();

    /**
     * The daemon is leaving for the next one, which takes the public port from the keeper: accepts no
     * more (new connections wait in the socket's queue, held by the keeper) and completes once the
     * connections it has are done, or after {@code graceMs}, when they are closed.
     */
    Future<Void> leave(long graceMs);

    /**
     * Another member's instance that the cluster dropped (cut off, or every process of it killed):
     * the connections to it that carry requests now are closed, so a body-less idempotent request is
     * sent again to another instance instead of waiting for an answer that cannot come.
     */
    default void cutOff(Upstream upstream) {}

    /**
     * Another member's instance whose relay stopped answering ({@link RelayWatch}): the requests waiting
     * for its answer that may be sent again (body-less, idempotent, no answer begun) go to another
     * instance; the others wait on, for the member may only be slow.
     */
    default void resendWaiting(Upstream upstream) {}
}
