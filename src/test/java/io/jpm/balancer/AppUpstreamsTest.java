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
}
