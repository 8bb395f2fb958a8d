package io.jpm.balancer;

import java.io.IOException;

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
}
