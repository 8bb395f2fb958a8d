package io.jpm.balancer;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the public port of a balanced app is opened when it should outlive the daemon: a listening
 * socket the daemon's keeper holds, which the frontend's Vert.x server listens on instead of binding
 * a socket of its own, and which the next daemon takes (heldport.HeldPorts; docs/ARCHITECTURE.md,
 * "The keeper"). {@link #NONE} opens nothing: Vert.x binds the port itself, as without a keeper.
 */
public interface PublicPorts {
    PublicPorts NONE = new PublicPorts() {
        @Override
        public void claim(String app, String host, int port) {}

        @Override
        public void release(String app, String host, int port) {}

        @Override
        public void closeUnclaimed() {}

        @Override
        public CompletionStage<Void> stopAccepting() {
            return CompletableFuture.completedFuture(null);
        }
    };

    /**
     * The socket on {@code host}:{@code port} is ready for {@code app}'s frontend: the one the keeper
     * handed over, or opened now. Blocking (a lookup and a bind): call off the event loop.
     *
     * @throws IOException naming the address and why it cannot be had (in use, not this host's)
     */
    void claim(String app, String host, int port) throws IOException;

    /** {@code app} is off that port (deleted, moved): closed once no app is on it, and let go by the keeper. */
    void release(String app, String host, int port);

    /** The sockets a previous daemon left that no app of this one claimed: closed, so no port stays open for good. */
    void closeUnclaimed();

    /**
     * The daemon is leaving for the next one: the servers listening on these sockets accept no more, so the
     * connections that come meanwhile wait in the socket's queue for the next daemon. Done once no accept
     * is under way; a server Vert.x closes after that gets none it would have to drop (an accepted
     * connection that finds its server closing is closed, reset with its request unread).
     */
    CompletionStage<Void> stopAccepting();
}
