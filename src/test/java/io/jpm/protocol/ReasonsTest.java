package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.DirectoryNotEmptyException;
import org.junit.jupiter.api.Test;

class ReasonsTest {

    /** The client said ExceptionInInitializerError; the reason is its cause, a file error's path and what is wrong. */
    @Test
    void aFailureIsItsInnermostCauseInWords() {
        assertEquals(
                "/home/me/.jpm/jpm.sock: a folder that is not empty is in the way: remove it",
                Reasons.of(new ExceptionInInitializerError(new DirectoryNotEmptyException("/home/me/.jpm/jpm.sock"))));
        assertEquals(
                "cannot read the uid",
                Reasons.of(new RuntimeException(new IllegalStateException("cannot read the uid"))));
        assertEquals("ExceptionInInitializerError", Reasons.of(new ExceptionInInitializerError()));
    }
}
