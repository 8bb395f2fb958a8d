package io.jpm.verticle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionCapTest {
    private final List<String> evicted = new ArrayList<>();
    private final ConnectionCap<String> cap = new ConnectionCap<>(3);

    private boolean admit(String connection) {
        return cap.admit(connection, () -> evicted.add(connection));
    }

    @Test
    void atTheCapTheOldestUnauthenticatedConnectionMakesRoom() {
        assertTrue(admit("a"));
        assertTrue(admit("b"));
        assertTrue(admit("c"));
        assertTrue(admit("d"));
        assertEquals(List.of("a"), evicted);
        assertEquals(3, cap.size());
    }

    @Test
    void anAuthenticatedConnectionIsNeverEvicted() {
        admit("operator");
        cap.authenticated("operator");
        admit("b");
        admit("c");
        admit("d");
        admit("e");
        assertEquals(List.of("b", "c"), evicted);
        assertTrue(cap.isAuthenticated("operator"));
    }

    @Test
    void aDoorFullOfAuthenticatedConnectionsRefusesANewOne() {
        for (String c : List.of("a", "b", "c")) {
            admit(c);
            cap.authenticated(c);
        }
        assertFalse(admit("d"));
        assertEquals(List.of(), evicted);
        cap.closed("b");
        assertTrue(admit("d"));
    }

    @Test
    void aClosedConnectionFreesItsPlace() {
        admit("a");
        admit("b");
        cap.closed("a");
        cap.closed("a");
        assertEquals(1, cap.size());
        assertFalse(cap.isAuthenticated("a"));
    }
}
