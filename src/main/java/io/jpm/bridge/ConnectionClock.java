package io.jpm.bridge;

import io.jpm.config.DoorLimits;

/**
 * When a bridge connection is to be closed: one that has not authenticated, {@code auth_timeout_ms}
 * after it opened; one that has, {@code idle_timeout_ms} after the last frame either way, but never
 * while it is registered for events (jpm logs, monit and events wait on them for hours) nor before
 * the timeout of the last request it sent has run out (a long stop waits on its reply).
 */
final class ConnectionClock {
    /** The bridge's own send timeout, for a request that names none in headers.timeout. */
    static final long DEFAULT_SEND_TIMEOUT_MS = 30_000;

    private final DoorLimits limits;
    private final long openedAt;
    private boolean authenticated;
    private long lastTraffic;
    private long requestsUntil;
    private int registrations;

    ConnectionClock(DoorLimits limits, long now) {
        this.limits = limits;
        this.openedAt = now;
        this.lastTraffic = now;
    }

    void authenticated() {
        authenticated = true;
    }

    void traffic(long now) {
        lastTraffic = now;
    }

    /** A request was sent that waits up to {@code timeoutMs} for its reply. */
    void request(long now, long timeoutMs) {
        requestsUntil = Math.max(requestsUntil, now + timeoutMs);
    }

    void registrations(int count) {
        registrations = count;
    }

    /** The time at which the connection is to close; {@link Long#MAX_VALUE}: not while things stay so. */
    long deadline() {
        if (!authenticated) {
            return openedAt + limits.authTimeoutMs();
        }
        if (registrations > 0) {
            return Long.MAX_VALUE;
        }
        return Math.max(lastTraffic + limits.idleTimeoutMs(), requestsUntil);
    }

    /** Why it closes at {@link #deadline()}, for the err frame. */
    String reason() {
        return authenticated
                ? "closed: idle for " + limits.idleTimeoutMs() + " ms (jpm.json bridge.idle_timeout_ms)"
                : "access denied: no valid token in headers.token within " + limits.authTimeoutMs()
                        + " ms (jpm.json bridge.auth_timeout_ms)";
    }

    /** How long to wait before looking again. */
    long nextCheckMs(long now) {
        long deadline = deadline();
        return deadline == Long.MAX_VALUE ? limits.idleTimeoutMs() : Math.max(1, deadline - now);
    }
}
