package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldsTest {
    private static Fields of(Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return Fields.of(map);
    }

    private static void refused(String expected, Runnable read) {
        JpmException e = assertThrows(JpmException.class, read::run);
        assertEquals(JpmError.INVALID_ARGUMENT, e.error());
        assertEquals(expected, e.getMessage());
    }

    @Test
    void absentOrNullFieldsReadAsAbsent() {
        Fields f = of("none", null);
        assertNull(f.string("name"));
        assertEquals("x", f.string("none", "x"));
        assertTrue(f.bool("force", true));
        assertNull(f.integer("pid"));
        assertEquals(7, f.integer("parallel", 7));
        assertEquals(9L, f.whole("time", 9L));
        assertEquals(Map.of(), f.texts("env"));
        assertEquals(List.of(), f.list("apps"));
        assertEquals(List.of(), f.strings("targets"));
        assertEquals(Map.of(), f.object("options").asMap());
    }

    @Test
    void fieldsOfTheRightTypeAreRead() {
        Fields f = of(
                "name",
                "api",
                "force",
                true,
                "pid",
                12L,
                "parallel",
                2.0,
                "time",
                1.5e12,
                "env",
                Map.of("PORT", 3000),
                "targets",
                List.of(0, "web"),
                "options",
                Map.of("a", 1));
        assertEquals("api", f.string("name"));
        assertTrue(f.bool("force", false));
        assertEquals(12, f.integer("pid"));
        assertEquals(2, f.integer("parallel", 0));
        assertEquals(1_500_000_000_000L, f.whole("time", 0L));
        assertEquals(Map.of("PORT", "3000"), f.texts("env"));
        assertEquals(List.of("0", "web"), f.strings("targets"));
        assertEquals(Map.of("a", 1), f.object("options").asMap());
    }

    @Test
    void aFieldOfTheWrongTypeIsRefusedWithItsNameAndTheTypeWanted() {
        refused("field 'parallel' must be a whole number, not \"2\"", () -> of("parallel", "2")
                .integer("parallel", 0));
        refused("field 'pid' must be a whole number, not 1.5", () -> of("pid", 1.5)
                .integer("pid"));
        refused("field 'force' must be true or false, not \"yes\"", () -> of("force", "yes")
                .bool("force", false));
        refused("field 'name' must be text, not 3", () -> of("name", 3).string("name"));
        refused("field 'cwd' must be text, not an array", () -> of("cwd", List.of())
                .string("cwd", "/"));
        refused("field 'time' must be a number, not true", () -> of("time", true)
                .whole("time", 0L));
        refused("field 'env' must be an object, not an array", () -> of("env", List.of("A=1"))
                .texts("env"));
        refused("field 'targets' must be an array, not \"api\"", () -> of("targets", "api")
                .strings("targets"));
        refused("field 'options' must be an object, not 1", () -> of("options", 1)
                .object("options"));
    }

    @Test
    void aRecordRefusesAWrongTypeInsteadOfTakingItsDefault() {
        JpmException e = assertThrows(JpmException.class, () -> RestartOptions.from(Map.of("parallel", "2")));
        assertEquals(JpmError.INVALID_ARGUMENT, e.error());
        assertTrue(e.getMessage().contains("'parallel'"), e.getMessage());
    }

    @Test
    void aDescribeQuerysEnvFlagIsNotAnEnvironment() {
        TargetRequest request = TargetRequest.from(Map.of("targets", List.of("api"), "env", false));
        assertEquals(Map.of(), request.env());
    }
}
