package io.jpm.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jpm.config.BalancerOptions.Balance;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AppUpstreamsTest {
    private AppUpstreams rotation;
    private Upstream a;
    private Upstream b;
    private Upstream c;

    @BeforeEach
    void threeReady() {
        rotation = new AppUpstreams();
        a = ready(100);
        b = ready(101);
        c = ready(102);
    }

    private Upstream ready(int pid) {
        Upstream u = new Upstream("api", pid - 100, pid, 40000 + pid, false);
        u.moveTo(Upstream.State.READY);
        rotation.add(u);
        return u;
    }

    private List<Upstream> picks(Balance balance, int n) {
        List<Upstream> picked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            picked.add(rotation.pick(balance, Set.of()));
        }
        return picked;
    }

    @Test
    void roundRobinVisitsEveryReadyInstanceInTurn() {
        assertEquals(List.of(a, b, c, a, b, c), picks(Balance.ROUND_ROBIN, 6));
    }

    @Test
    void onlyReadyInstancesAreInRotation() {
        b.moveTo(Upstream.State.DRAINING);
        Upstream probing = new Upstream("api", 9, 109, 40109, false);
        rotation.add(probing);
        List<Upstream> picked = picks(Balance.ROUND_ROBIN, 4);
        assertEquals(List.of(a, c, a, c), picked);
    }

    @Test
    void triedInstancesAreSkippedAndNoneLeftIsNull() {
        assertSame(c, rotation.pick(Balance.ROUND_ROBIN, Set.of(a, b)));
        assertNull(rotation.pick(Balance.ROUND_ROBIN, Set.of(a, b, c)));
        assertNull(new AppUpstreams().pick(Balance.LEAST_CONNECTIONS, Set.of()));
    }

    @Test
    void leastConnectionsTakesTheLeastBusyAndSharesAmongEquals() {
        a.active.set(3);
        b.active.set(1);
        c.active.set(2);
        assertSame(b, rotation.pick(Balance.LEAST_CONNECTIONS, Set.of()));
        a.active.set(0);
        b.active.set(0);
        c.active.set(5);
        List<Upstream> picked = picks(Balance.LEAST_CONNECTIONS, 4);
        assertEquals(2, picked.stream().filter(u -> u == a).count());
        assertEquals(2, picked.stream().filter(u -> u == b).count());
    }

    @Test
    void statesMoveOnlyAlongTheirEdges() {
        a.moveTo(Upstream.State.DRAINING);
        assertThrows(IllegalStateException.class, () -> a.moveTo(Upstream.State.READY));
        a.moveTo(Upstream.State.GONE);
        assertThrows(IllegalStateException.class, () -> a.moveTo(Upstream.State.PROBING));
    }

    @Test
    void drainingCompletesWhenTheLastConnectionEnds() {
        a.active.set(2);
        a.moveTo(Upstream.State.DRAINING);
        a.drained = Promise.promise();
        a.release();
        assertEquals(false, a.drained.future().isComplete());
        a.release();
        assertEquals(true, a.drained.future().result());
    }

    private Upstream remote(String node, int pid) {
        Upstream u = new Upstream("api", pid - 100, pid, 50000 + pid, false, node);
        u.moveTo(Upstream.State.READY);
        rotation.add(u);
        return u;
    }

    @Test
    void preferLocalKeepsToThisHostWhileOneOfItsInstancesIsReady() {
        rotation = new AppUpstreams();
        Upstream local = ready(100);
        Upstream far = remote("web-2", 200);
        for (int i = 0; i < 4; i++) {
            assertSame(local, rotation.pick(Balance.HTTP, Set.of(), true, null));
        }
        assertSame(far, rotation.pick(Balance.HTTP, Set.of(local), true, null), "the local one tried: the other");
        local.moveTo(Upstream.State.PROBING);
        assertSame(far, rotation.pick(Balance.HTTP, Set.of(), true, null));
        List<Upstream> spread = new ArrayList<>();
        local.moveTo(Upstream.State.READY);
        for (int i = 0; i < 4; i++) {
            spread.add(rotation.pick(Balance.ROUND_ROBIN, Set.of(), false, null));
        }
        assertEquals(List.of(local, far, local, far), spread, "without prefer: both");
    }

    @Test
    void aStickyClientGetsTheSameInstanceFromEveryFrontAndMovesOnlyWhenItLeaves() {
        // two fronts: web-1 sees its own instance and web-2's, web-2 the other way round, in another order
        AppUpstreams web1 = new AppUpstreams();
        AppUpstreams web2 = new AppUpstreams();
        for (int pid = 100; pid < 106; pid++) {
            Upstream mine = new Upstream("api", pid % 3, pid, 40000 + pid, false, pid < 103 ? null : "web-2");
            Upstream theirs = new Upstream("api", pid % 3, pid, 41000 + pid, false, pid < 103 ? "web-1" : null);
            mine.moveTo(Upstream.State.READY);
            theirs.moveTo(Upstream.State.READY);
            web1.add(mine);
            web2.add(theirs);
        }
        web2 = reversed(web2);
        java.util.Map<Integer, Integer> perPid = new java.util.HashMap<>();
        for (int client = 0; client < 200; client++) {
            String address = "10.0.0." + client;
            Upstream one = web1.pick(Balance.HTTP, Set.of(), false, address);
            assertEquals(one.pid, web2.pick(Balance.HTTP, Set.of(), false, address).pid, address);
            assertSame(one, web1.pick(Balance.HTTP, Set.of(), false, address), "again the same");
            perPid.merge(one.pid, 1, Integer::sum);
        }
        assertEquals(6, perPid.size(), "the clients spread over every instance: " + perPid);
        Upstream gone = web1.get("101");
        gone.moveTo(Upstream.State.PROBING);
        for (int client = 0; client < 200; client++) {
            String address = "10.0.0." + client;
            Upstream now = web1.pick(Balance.HTTP, Set.of(), false, address);
            gone.moveTo(Upstream.State.READY);
            Upstream before = web1.pick(Balance.HTTP, Set.of(), false, address);
            gone.moveTo(Upstream.State.PROBING);
            if (before != gone) {
                assertSame(before, now, "only the clients of the instance that left move");
            }
        }
    }

    private static AppUpstreams reversed(AppUpstreams rotation) {
        List<Upstream> all = new ArrayList<>(rotation.all());
        java.util.Collections.reverse(all);
        AppUpstreams copy = new AppUpstreams();
        all.forEach(copy::add);
        return copy;
    }

    /**
     * sticky: "cookie": the cookie's instance while it is ready and not tried; without a cookie, one
     * that names no instance, or once it leaves, the mode's pick. The value is the same for the same
     * instance seen by another front (another Upstream of the same pid and pm_id) and differs between instances.
     */
    @Test
    void aCookieNamesItsInstanceOnEveryFrontUntilItLeaves() {
        assertEquals(b.cookie, new Upstream("api", 1, 101, 50000, false, "web-2").cookie);
        assertEquals(3, Set.of(a.cookie, b.cookie, c.cookie).size());
        for (int i = 0; i < 5; i++) {
            assertSame(b, rotation.pickByCookie(Balance.HTTP, Set.of(), b.cookie));
        }
        assertSame(c, rotation.pickByCookie(Balance.HTTP, Set.of(b, a), b.cookie));
        assertEquals(
                3,
                Set.of(
                                rotation.pickByCookie(Balance.ROUND_ROBIN, Set.of(), "0"),
                                rotation.pickByCookie(Balance.ROUND_ROBIN, Set.of(), null),
                                rotation.pickByCookie(Balance.ROUND_ROBIN, Set.of(), "nope"))
                        .size(),
                "without a cookie of a ready instance: round-robin");
        b.moveTo(Upstream.State.DRAINING);
        Upstream moved = rotation.pickByCookie(Balance.HTTP, Set.of(), b.cookie);
        assertEquals(true, moved == a || moved == c, String.valueOf(moved));
    }
}
