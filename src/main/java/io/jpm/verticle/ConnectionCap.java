package io.jpm.verticle;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How many connections one door holds at once. At the cap a new connection takes the place of the
 * oldest one that has not shown a valid token yet (that one is closed), so connections that never
 * authenticate cannot keep a client that does out for long; a connection that has authenticated is
 * never evicted, and when every one has, the newcomer is refused. Shared by the two doors; one
 * event loop touches it (the door's verticle's).
 *
 * @param <C> the door's connection type
 */
public final class ConnectionCap<C> {
    private final int max;
    /** Oldest first: the order connections came in; the value closes the connection. */
    private final Map<C, Runnable> unauthenticated = new LinkedHashMap<>();

    private final Set<C> authenticated = new HashSet<>();

    public ConnectionCap(int max) {
        this.max = max;
    }

    /**
     * Counts a new connection in, evicting the oldest unauthenticated one (through its close action)
     * when the door is full. False: the door is full of authenticated connections; close this one.
     */
    public boolean admit(C connection, Runnable close) {
        if (size() >= max) {
            Iterator<Map.Entry<C, Runnable>> oldest = unauthenticated.entrySet().iterator();
            if (!oldest.hasNext()) {
                return false;
            }
            Runnable evict = oldest.next().getValue();
            oldest.remove();
            evict.run();
        }
        unauthenticated.put(connection, close);
        return true;
    }

    /** The connection has shown a valid token: it is never evicted from now on. */
    public void authenticated(C connection) {
        if (unauthenticated.remove(connection) != null) {
            authenticated.add(connection);
        }
    }

    public boolean isAuthenticated(C connection) {
        return authenticated.contains(connection);
    }

    /** The connection has closed (whoever closed it). */
    public void closed(C connection) {
        unauthenticated.remove(connection);
        authenticated.remove(connection);
    }

    public int size() {
        return unauthenticated.size() + authenticated.size();
    }
}
