package io.jpm.balancer;

import io.vertx.core.Future;

/** What listens on an app's public port: bytes ({@link TcpFrontend}) or requests ({@link HttpFrontend}). */
interface Frontend {
    /** Binds the public port; completes with the port actually bound. */
    Future<Integer> listen();

    Future<Void> close();
}
