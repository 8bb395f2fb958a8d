package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JpmHomeTest {

    /** {@code <link>/.} names the link's target; without the dot the link check sees the link. */
    @Test
    void theDotsOfJpmHomeAreLeftOutAndItsDoubleDotsRefused() {
        assertEquals(Path.of("/home/me/link"), JpmHome.withoutDots(Path.of("/home/me/link/.")));
        assertEquals(Path.of("/home/me/x"), JpmHome.withoutDots(Path.of("/home/me/./x")));
        assertEquals(Path.of("/"), JpmHome.withoutDots(Path.of("/.")));
        assertNull(Ownership.notPlainProblem("JPM_HOME", Path.of("/home/me/.jpm")));
        String problem = Ownership.notPlainProblem("JPM_HOME", Path.of("/home/me/link/../.jpm"));
        assertTrue(problem.startsWith("JPM_HOME /home/me/link/../.jpm has '.' or '..' in it"), problem);
    }
}
