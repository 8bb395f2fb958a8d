package io.jpm.protocol;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of one app instance, with pm2's status words. The allowed transitions are the
 * whole state machine; {@link #canMoveTo} is asserted at every change.
 *
 * <pre>
 * stopped ------> launching --> online --> stopping --> stopped
 *   ^  ^             |  (wait_ready: launching until ready; an exit before is one from online)
 *   ^  ^             |            |  \
 *   |  |             v            |   `--> waiting restart --> launching   (exit, autorestart)
 *   |  +---------- errored <------+                             (too many unstable exits)
 *   +------------------------------ (exit with autorestart off or a stop_exit_code)
 * stopped --> waiting restart: an instance a killed daemon left waiting, adopted by the next one
 * </pre>
 */
public enum ProcessState {
    LAUNCHING("launching"),
    ONLINE("online"),
    STOPPING("stopping"),
    STOPPED("stopped"),
    WAITING_RESTART("waiting restart"),
    ERRORED("errored");

    private static final Map<ProcessState, Set<ProcessState>> ALLOWED = Map.of(
            // spawned (and ready, with wait_ready) -> online; spawn failed -> errored; stop asked while
            // spawning -> stopping; exit before ready (wait_ready) -> as from online
            LAUNCHING, EnumSet.of(ONLINE, ERRORED, STOPPING, WAITING_RESTART, STOPPED),
            // stop asked -> stopping; exit -> restart after a delay, give up, or stay down
            ONLINE, EnumSet.of(STOPPING, WAITING_RESTART, ERRORED, STOPPED),
            STOPPING, EnumSet.of(STOPPED),
            // a stopped or errored instance is started again by start/restart; a new instance adopted
            // from a killed daemon that had it waiting restart waits on (docs/ARCHITECTURE.md, "The keeper")
            STOPPED, EnumSet.of(LAUNCHING, WAITING_RESTART),
            // the delay ran out -> launching; stop asked during the delay -> stopped
            WAITING_RESTART, EnumSet.of(LAUNCHING, STOPPED),
            ERRORED, EnumSet.of(LAUNCHING, STOPPED));

    private final String word;

    ProcessState(String word) {
        this.word = word;
    }

    /** pm2's status word, shown by ls and jlist. */
    public String word() {
        return word;
    }

    /** Whether {@code word} is this state's word (false for null or any other word). */
    public boolean is(String word) {
        return this.word.equals(word);
    }

    public boolean canMoveTo(ProcessState next) {
        return ALLOWED.get(this).contains(next);
    }

    /** True while an OS process may exist for the instance. */
    public boolean hasProcess() {
        return this == LAUNCHING || this == ONLINE || this == STOPPING;
    }

    /** True when the instance is meant to be running (counts as up for a restart). */
    public boolean isActive() {
        return this != STOPPED && this != ERRORED;
    }

    /** The state whose word {@code word} is, or null for none (an event's "deleted", another build's word). */
    public static ProcessState ofWord(String word) {
        for (ProcessState s : values()) {
            if (s.word.equals(word)) {
                return s;
            }
        }
        return null;
    }

    public static ProcessState fromWord(String word) {
        for (ProcessState s : values()) {
            if (s.word.equals(word)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown status: " + word);
    }
}
