package io.jpm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A record says what it holds: one of more than {@value #MOST_POSITIONAL} components with two
 * neighbours of one type (two strings, two longs in a row: swapped in a positional call without a
 * compiler error) is built through a {@code builder()}, or is listed here with the reason it has none.
 * Read from the compiled classes, so a nested record counts too.
 */
class RecordShapeTest {
    private static final Path CLASSES = Path.of("target/classes");
    private static final int MOST_POSITIONAL = 8;

    /** Records that may stay positional: each built in one place from named reads, in its own file or parser. */
    private static final Map<String, String> WITHOUT_BUILDER = Map.of(
            "io.jpm.cli.command.DevCommandLine",
            "built once, by its parse() from named locals",
            "io.jpm.config.ClusterSettings",
            "built once, by its parse() from named reads (and one test)",
            "io.jpm.config.BalancerOptions",
            "built by BalancerOptionsParser from named locals, and copied whole by its own none() and withListenTimeout",
            "io.jpm.config.EcosystemOptions",
            "built by EcosystemOptionsParser and its own fromJson, from named reads",
            "io.jpm.config.WatchdogOptions",
            "built by WatchdogOptionsParser and in its own file (fromJson, withWatch), from named reads",
            "io.jpm.deploy.DeployEnvironment",
            "built once, by DeployOptionsParser from named reads (and one test)");

    @Test
    void aLongRecordWithSwappableNeighboursHasABuilderOrAReason() throws Exception {
        Map<String, String> offenders = new TreeMap<>();
        Map<String, String> stale = new TreeMap<>(WITHOUT_BUILDER);
        for (Class<?> record : records()) {
            RecordComponent[] components = record.getRecordComponents();
            String neighbours = sameTypedNeighbours(components);
            if (components.length <= MOST_POSITIONAL || neighbours == null || hasBuilder(record)) {
                continue;
            }
            if (stale.remove(record.getName()) == null) {
                offenders.put(record.getName(), components.length + " components, " + neighbours);
            }
        }
        assertEquals(Map.of(), offenders, "records to build through a builder() (or list, with a reason, here)");
        assertEquals(Map.of(), stale, "listed without a builder but no longer in need of one: take them off the list");
    }

    private static String sameTypedNeighbours(RecordComponent[] components) {
        for (int i = 1; i < components.length; i++) {
            if (components[i].getGenericType().equals(components[i - 1].getGenericType())) {
                return components[i - 1].getName() + " and " + components[i].getName() + " are both "
                        + components[i].getType().getSimpleName();
            }
        }
        return null;
    }

    private static boolean hasBuilder(Class<?> record) {
        return Arrays.stream(record.getDeclaredMethods())
                .anyMatch(m -> m.getName().equals("builder")
                        && Modifier.isStatic(m.getModifiers())
                        && m.getParameterCount() == 0);
    }

    private static List<Class<?>> records() throws IOException, ClassNotFoundException {
        List<Class<?>> records = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(CLASSES)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        for (Path file : files) {
            String name = CLASSES.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
            Class<?> type = Class.forName(name, false, RecordShapeTest.class.getClassLoader());
            if (type.isRecord()) {
                records.add(type);
            }
        }
        return records;
    }
}
