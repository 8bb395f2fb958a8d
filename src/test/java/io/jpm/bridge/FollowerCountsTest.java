package io.jpm.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FollowerCountsTest {
    private final List<String> changes = new ArrayList<>();
    private final FollowerCounts followers = new FollowerCounts((address, count) -> changes.add(address + "=" + count));

    @Test
    void eachConnectionCountsOnceAndADroppedOneStopsCounting() {
        Object a = new Object();
        Object b = new Object();
        followers.registered(a, "jpm.events.log");
        followers.registered(a, "jpm.events.log"); // registered twice: one follower
        followers.registered(a, "jpm.host.web-2.events.log");
        followers.registered(b, "jpm.events.log");
        assertEquals(2, followers.count("jpm.events.log"));
        followers.closed(a); // dropped without unregistering
        assertEquals(1, followers.count("jpm.events.log"));
        assertEquals(0, followers.count("jpm.host.web-2.events.log"));
        followers.unregistered(b, "jpm.events.log");
        followers.unregistered(b, "jpm.events.log");
        followers.closed(b);
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
}
