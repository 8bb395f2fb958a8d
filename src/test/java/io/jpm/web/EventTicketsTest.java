package io.jpm.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventTicketsTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final EventTickets tickets = new EventTickets(now::get);

    @Test
    void aTicketOpensOneStreamAtItsTokensLevel() {
        String readOnly = tickets.issue(true);
        String admin = tickets.issue(false);
        assertEquals(Boolean.TRUE, tickets.redeem(readOnly));
        assertEquals(Boolean.FALSE, tickets.redeem(admin));
    }

    @Test
    void aTicketIsUsedOnce() {
        String ticket = tickets.issue(true);
        assertNotNull(tickets.redeem(ticket));
        assertNull(tickets.redeem(ticket), "spent");
    }

    @Test
    void aTicketExpiresAfterItsLifetime() {
        String late = tickets.issue(true);
        String inTime = tickets.issue(true);
        now.addAndGet(EventTickets.LIFETIME_MS - 1);
        assertNotNull(tickets.redeem(inTime));
        now.addAndGet(1);
        assertNull(tickets.redeem(late), "expired");
    }

    @Test
    void anUnknownTicketOpensNothing() {
        tickets.issue(false);
        assertNull(tickets.redeem("not-a-ticket"));
        assertNull(tickets.redeem(null));
        assertNull(tickets.redeem(""));
    }

    @Test
    void ticketsAreRandomAndLong() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String ticket = tickets.issue(true);
            assertTrue(ticket.length() >= 43, ticket);
            assertTrue(ticket.matches("[A-Za-z0-9_-]+"), "safe in a URL without escaping: " + ticket);
            assertTrue(seen.add(ticket), "never twice");
        }
        assertNotEquals(tickets.issue(true), tickets.issue(true));
    }

    @Test
    void openTicketsAreBoundedAndExpiredOnesMakeRoom() {
        for (int i = 0; i < EventTickets.MAX_OPEN; i++) {
            assertNotNull(tickets.issue(true));
        }
        assertNull(tickets.issue(true), "the cap");
        now.addAndGet(EventTickets.LIFETIME_MS);
        assertNotNull(tickets.issue(true), "expired tickets are dropped at the next issue");
        assertEquals(1, tickets.openCount());
        assertFalse(tickets.openCount() > EventTickets.MAX_OPEN);
    }
}
