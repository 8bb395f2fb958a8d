package io.jpm.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How many instances of a fleet app each named member runs while some are lost (docs/CLUSTER.md, "A
 * host lost"): its own {@code instances}, plus a part of each lost member's, dealt over the named
 * members up in name order. Every member computes the same deal from the same view, so none has to
 * ask another: a lost member's n instances go n / k to each of the k members up, and the n % k left
 * over one each to the next ones in name order from a place its name hashes to (so two members lost
 * do not both give their odd one to the same member). The counts of the members up add up to the
 * asked count, {@code instances} times the members named.
 */
final class FleetDeal {
    private FleetDeal() {}

    /**
     * Each named member up and its count; none for a member lost ({@code lost}: named, not up, and
     * not on its way back from an update).
     *
     * @param hosts the members the app names
     * @param perHost its {@code instances} per host (at least 1)
     * @param up the members in the cluster now
     * @param waited named members not up whose share is not dealt (they left for an update)
     */
    static Map<String, Integer> counts(List<String> hosts, int perHost, Set<String> up, Set<String> waited) {
        TreeSet<String> named = new TreeSet<>(hosts);
        List<String> present = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        for (String host : named) {
            if (up.contains(host)) {
                present.add(host);
            } else if (!waited.contains(host)) {
                lost.add(host);
            }
        }
        Map<String, Integer> counts = new java.util.TreeMap<>();
        present.forEach(host -> counts.put(host, perHost));
        int k = present.size();
        if (k == 0) {
            return counts;
        }
        for (String gone : lost) {
            int start = Math.floorMod(gone.hashCode(), k);
            for (int i = 0; i < k; i++) {
                int rank = Math.floorMod(i - start, k);
                int part = perHost / k + (rank < perHost % k ? 1 : 0);
                counts.merge(present.get(i), part, Integer::sum);
            }
        }
        return counts;
    }

    /**
     * Whether {@code node} may stop what it runs beyond its count: every other member up already has
     * its own count ready ({@code ready}: each member's ready instances), so the fleet never has fewer
     * ready than asked while a member that came back takes its share again. Members that both run
     * extras (the halves of a healed split) see each other ready and both stop theirs at once, each
     * keeping its count.
     */
    static boolean othersReady(Map<String, Integer> counts, String node, Map<String, Integer> ready) {
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (!e.getKey().equals(node) && ready.getOrDefault(e.getKey(), 0) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
