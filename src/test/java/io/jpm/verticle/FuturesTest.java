package io.jpm.verticle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FuturesTest {
    private final List<Promise<Void>> started = new ArrayList<>();

    private Future<?> action(String item) {
        Promise<Void> promise = Promise.promise();
        started.add(promise);
        return promise.future();
    }

    @Test
    void atMostTheLimitRunAtOnceAndEachCompletionStartsTheNext() {
        Future<Void> all = Futures.eachAtMost(List.of("a", "b", "c", "d", "e"), 2, this::action);
        assertEquals(2, started.size());
        started.get(0).complete();
        assertEquals(3, started.size());
        started.get(1).fail("b failed");
        started.get(2).complete();
        assertEquals(5, started.size());
        started.get(3).complete();
        assertFalse(all.isComplete());
        started.get(4).complete();
        assertTrue(all.succeeded(), "with a limit, a failed action does not fail the whole");
    }

    @Test
    void withoutALimitAllStartAtOnceAndAFailureFailsTheWhole() {
        Future<Void> all = Futures.eachAtMost(List.of("a", "b", "c"), 0, this::action);
        assertEquals(3, started.size());
        started.get(0).complete();
        started.get(1).fail("b failed");
        assertFalse(all.isComplete());
        started.get(2).complete();
        assertTrue(all.failed());
    }

    @Test
    void noItemsCompleteAtOnce() {
        assertTrue(Futures.eachAtMost(List.<String>of(), 3, this::action).succeeded());
    }
}
