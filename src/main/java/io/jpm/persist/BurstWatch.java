package io.jpm.persist;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Whether a burst is over: the instances this daemon knows (pm_ids, from God's table at start and
 * every process event since) fell from their peak by at least {@link #MIN_DROP}, to half the peak or
 * fewer. What a burst leaves in a JVM (the JIT's code, the classes it loaded, a heap and native
 * memory sized for it) stays after its apps are gone; a fresh daemon that adopts the apps left does
 * not have it ({@link Renewal}). Also counts who follows something through a door: a renewal would cut
 * their stream.
 */
final class BurstWatch {
    /** Fewer instances than this at the peak leave too little to be worth a new daemon. */
    static final int MIN_DROP = 100;

    private final int minDrop;
    private final Set<Integer> instances = new HashSet<>();
    private int peak;
    /** Followers per door and address ("bridge metrics", "web logs", ...), as the doors last told them. */
    private final Map<String, Integer> followers = new HashMap<>();

    BurstWatch(int minDrop) {
        this.minDrop = minDrop;
    }

    /** Instances God lists: known from now on (an adopted run says nothing until it changes). */
    void known(Collection<Integer> pmIds) {
        instances.addAll(pmIds);
        peak = Math.max(peak, instances.size());
    }

    /** A process event of {@code pmId}: it is gone when {@code deleted}, there otherwise. */
    void event(int pmId, boolean deleted) {
        if (deleted) {
            instances.remove(pmId);
        } else {
            instances.add(pmId);
            peak = Math.max(peak, instances.size());
        }
    }

    /** A door's count of those that follow {@code what} (metrics, live logs, an event address). */
    void followers(String what, int count) {
        if (count > 0) {
            followers.put(what, count);
        } else {
            followers.remove(what);
        }
    }

    boolean over() {
        int now = instances.size();
        return peak - now >= minDrop && now * 2 <= peak;
    }

    boolean followed() {
        return !followers.isEmpty();
    }

    int instances() {
        return instances.size();
    }

    int peak() {
        return peak;
    }
}
