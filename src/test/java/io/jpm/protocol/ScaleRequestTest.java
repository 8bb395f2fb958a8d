package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ScaleRequestTest {
    @Test
    void absoluteAndRelativeCounts() {
        assertEquals(4, new ScaleRequest("api", "4").target(2));
        assertEquals(5, new ScaleRequest("api", "+3").target(2));
        assertEquals(1, new ScaleRequest("api", "-1").target(2));
    }

    @Test
    void badRequestsNameTheProblem() {
        JpmException e =
                assertThrows(JpmException.class, () -> ScaleRequest.from(Map.of("name", "api", "count", "many")));
        assertEquals(JpmError.INVALID_ARGUMENT, e.error());
        assertThrows(JpmException.class, () -> ScaleRequest.from(Map.of("count", "2")));
        assertEquals(
                "+2", ScaleRequest.from(new ScaleRequest("api", "+2").toMap()).count());
    }
}
