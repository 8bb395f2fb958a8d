package io.jpm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetDealTest {
    private static final List<String> THREE = List.of("web-3", "web-1", "web-2");

    @Test
    void everyMemberUpRunsItsOwnShare() {
        assertEquals(
                Map.of("web-1", 2, "web-2", 2, "web-3", 2),
                FleetDeal.counts(THREE, 2, Set.of("web-1", "web-2", "web-3", "web-4"), Set.of()));
    }

    @Test
    void aLostMembersShareIsDealtOverTheOthersAndTheCountHolds() {
        assertEquals(Map.of("web-1", 3, "web-2", 3), FleetDeal.counts(THREE, 2, Set.of("web-1", "web-2"), Set.of()));
        Map<String, Integer> odd = FleetDeal.counts(THREE, 3, Set.of("web-1", "web-2"), Set.of());
        assertEquals(9, odd.values().stream().mapToInt(Integer::intValue).sum(), odd.toString());
        assertEquals(Set.of(4, 5), Set.copyOf(odd.values()), odd.toString());
        assertEquals(Map.of("web-2", 6), FleetDeal.counts(THREE, 2, Set.of("web-2"), Set.of()));
    }

    @Test
    void theOddOnesOfSeveralLostMembersSpread() {
        List<String> five = List.of("a", "b", "c", "d", "e");
        for (int perHost = 1; perHost <= 7; perHost++) {
            Map<String, Integer> counts = FleetDeal.counts(five, perHost, Set.of("a", "b", "c"), Set.of());
            assertEquals(
                    5 * perHost,
                    counts.values().stream().mapToInt(Integer::intValue).sum(),
                    counts.toString());
            int min = counts.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
            int max = counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
            assertTrue(max - min <= 2, counts.toString());
        }
    }

    @Test
    void everyMemberComputesTheSameDealWhateverTheOrderGiven() {
        assertEquals(
                FleetDeal.counts(List.of("web-2", "web-1", "web-3"), 1, Set.of("web-2", "web-1"), Set.of()),
                FleetDeal.counts(List.of("web-1", "web-3", "web-2"), 1, Set.of("web-1", "web-2"), Set.of()));
    }

    @Test
    void aMemberAwayForAnUpdateIsWaitedForNotDealt() {
        assertEquals(
                Map.of("web-1", 2, "web-2", 2), FleetDeal.counts(THREE, 2, Set.of("web-1", "web-2"), Set.of("web-3")));
    }

    @Test
    void noMemberUpRunsNothing() {
        assertEquals(Map.of(), FleetDeal.counts(THREE, 2, Set.of("web-9"), Set.of()));
    }

    @Test
    void extrasStopOnlyOnceEveryOtherMemberHasItsCountReady() {
        Map<String, Integer> counts = Map.of("web-1", 2, "web-2", 2, "web-3", 2);
        assertFalse(FleetDeal.othersReady(counts, "web-1", Map.of("web-1", 3, "web-2", 3, "web-3", 1)));
        assertFalse(FleetDeal.othersReady(counts, "web-1", Map.of("web-1", 3, "web-2", 3)));
        assertTrue(FleetDeal.othersReady(counts, "web-1", Map.of("web-1", 3, "web-2", 3, "web-3", 2)));
        // a healed split: both halves run extras, each sees the other ready
        assertTrue(FleetDeal.othersReady(Map.of("web-1", 2, "web-3", 2), "web-3", Map.of("web-1", 4, "web-3", 4)));
    }
}
