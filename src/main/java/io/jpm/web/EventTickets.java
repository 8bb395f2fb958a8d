package io.jpm.web;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Tickets for the event streams: a browser's {@code EventSource} cannot send an Authorization header,
 * and a token must never be put in a URL (proxies, history and logs keep URLs). So a page asks
 * {@code POST /api/events/ticket} with its token and gets a ticket of that token's level, which
 * {@code GET /api/events?ticket=...} (or a logs stream) accepts once, within {@link #LIFETIME_MS}.
 * A ticket is 32 random bytes, neither the token nor derived from it: a ticket seen in a log opens
 * at most one stream, for 30 s, and says nothing of the token.
 */
final class EventTickets {
    /** Long enough for a page to open its stream, short enough that a leaked ticket is soon worthless. */
    static final long LIFETIME_MS = 30_000;
    /** Tickets issued and not yet used or expired; more are refused until some are (memory stays bounded). */
    static final int MAX_OPEN = 1024;

    private static final int TICKET_BYTES = 32;

    /** What a ticket stands for: its token's level, and until when. */
    private record Ticket(boolean readOnly, long expiresAt) {}

    private final SecureRandom random = new SecureRandom();
    private final LongSupplier clock;
    private final Map<String, Ticket> open = new HashMap<>();

    EventTickets(LongSupplier clock) {
        this.clock = clock;
    }

    /** A new ticket for a request that showed a valid token; null when {@link #MAX_OPEN} are open. */
    String issue(boolean readOnly) {
        long now = clock.getAsLong();
        open.values().removeIf(t -> t.expiresAt() <= now);
        if (open.size() >= MAX_OPEN) {
            return null;
        }
        byte[] bytes = new byte[TICKET_BYTES];
        random.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        open.put(ticket, new Ticket(readOnly, now + LIFETIME_MS));
        return ticket;
    }

    /**
     * Uses a ticket up: whether it was the read-only token's (true) or the admin's (false), or null
     * when it is unknown, expired or already used.
     */
    Boolean redeem(String ticket) {
        Ticket found = ticket == null ? null : open.remove(ticket);
        if (found == null || found.expiresAt() <= clock.getAsLong()) {
            return null;
        }
        return found.readOnly();
    }

    int openCount() {
        return open.size();
    }
}
