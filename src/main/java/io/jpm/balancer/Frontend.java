package io.jpm.balancer;

import io.vertx.core.Future;

/** What listens on an app's public port: bytes ({@link TcpFrontend}) or requests ({@link HttpFrontend}). */
interface Frontend {
    /** Binds the public port; completes with the port actually bound. */
    Future<Integer> listen();

    Future<Void> close();

    /**
     * A replaced balancer's exit from a port its successor listens on too: stops accepting without
     * dropping a client on its way to it ({@link SharedPortExit}); the connections open finish, up to
     * {@code graceMs}, then are closed.
     */
    Future<Void> shutdown(long graceMs);
}
