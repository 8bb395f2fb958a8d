package io.jpm.cli.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CdsTrainingTest {
    @Test
    void theTrainingRunGoesThroughARequestAndBothRenderings() throws Exception {
        assertEquals(0, CdsTraining.run());
    }
}
