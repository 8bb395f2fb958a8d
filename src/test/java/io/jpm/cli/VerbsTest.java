package io.jpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verb switch and the commands' syntax name the same verbs. */
class VerbsTest {
    @Test
    void everyNameASyntaxDeclaresRunsThatCommand() {
        for (Command command : Verbs.all()) {
            for (String name : command.syntax().names()) {
                Command named = Verbs.named(name);
                assertEquals(command.getClass(), named == null ? null : named.getClass(), name);
                assertEquals(command.syntax().names(), named.syntax().names(), name);
            }
        }
    }

    @Test
    void namesAreUniqueAndNoneIsLeftOutAsWell() {
        List<String> names = Verbs.names();
        assertEquals(names.size(), new HashSet<>(names).size(), names.toString());
        for (String name : names) {
            assertTrue(!Verbs.LEFT_OUT.containsKey(name), name + " is both a verb and left out");
        }
        assertNull(Verbs.named("nosuchverb"));
    }
}
