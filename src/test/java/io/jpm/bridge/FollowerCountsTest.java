package io.jpm.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Handler;
import io.vertx.core.net.NetSocket;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FollowerCountsTest {
    private final List<String> changes = new ArrayList<>();
    private final FollowerCounts followers = new FollowerCounts((address, count) -> changes.add(address + "=" + count));

    @Test
    void eachConnectionCountsOnceAndADroppedOneStopsCounting() {
        Socket a = new Socket();
        Socket b = new Socket();
        followers.registered(a.proxy, "jpm.events.log");
        followers.registered(a.proxy, "jpm.events.log"); // registered twice: one follower
        followers.registered(a.proxy, "jpm.host.web-2.events.log");
        followers.registered(b.proxy, "jpm.events.log");
        assertEquals(2, followers.count("jpm.events.log"));
        a.close.handle(null); // dropped without unregistering
        assertEquals(1, followers.count("jpm.events.log"));
        assertEquals(0, followers.count("jpm.host.web-2.events.log"));
        followers.unregistered(b.proxy, "jpm.events.log");
        followers.unregistered(b.proxy, "jpm.events.log");
        assertEquals(0, followers.count("jpm.events.log"));
        assertEquals(List.of(1, 2, 1, 0), counts("jpm.events.log"));
        assertEquals(List.of(1, 0), counts("jpm.host.web-2.events.log"));
    }

    /** The counts told for one address, in order (a dropped connection tells its addresses in any order). */
    private List<Integer> counts(String address) {
        return changes.stream()
                .filter(c -> c.startsWith(address + "="))
                .map(c -> Integer.parseInt(c.substring(address.length() + 1)))
                .toList();
    }

    /** A NetSocket that only keeps its close handler. */
    @SuppressWarnings("unchecked")
    private static final class Socket {
        Handler<Void> close;
        final NetSocket proxy = (NetSocket) Proxy.newProxyInstance(
                NetSocket.class.getClassLoader(), new Class<?>[] {NetSocket.class}, (self, method, args) -> {
                    if (method.getName().equals("closeHandler")) {
                        close = (Handler<Void>) args[0];
                    }
                    if (method.getName().equals("hashCode")) {
                        return System.identityHashCode(self);
                    }
                    if (method.getName().equals("equals")) {
                        return self == args[0];
                    }
                    return method.getReturnType().isInstance(self) ? self : null;
                });
    }
}
