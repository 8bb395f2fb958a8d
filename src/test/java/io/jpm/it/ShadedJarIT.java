package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The built jar's classes come without local variable tables (src/build/StripLocalVariables.java, run
 * after the shade: 0.9 MB of every daemon's class-data archive) and keep their line numbers, its
 * dependencies' as well as jpm's own: a stack trace from the jar still says where.
 */
class ShadedJarIT {
    private static final byte[] LOCAL_VARIABLES = "LocalVariableTable".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LINE_NUMBERS = "LineNumberTable".getBytes(StandardCharsets.US_ASCII);

    @Test
    void noClassOfTheJarHasLocalVariableTablesAndMostHaveLineNumbers() throws Exception {
        List<String> withLocals = new ArrayList<>();
        int classes = 0;
        int withLines = 0;
        try (ZipFile jar = new ZipFile(Jpm.JAR.toFile())) {
            for (ZipEntry entry : jar.stream().toList()) {
                if (!entry.getName().endsWith(".class")) {
                    continue;
                }
                byte[] bytes = jar.getInputStream(entry).readAllBytes();
                classes++;
                // a class written again holds these names in its constant pool only for attributes it has
                if (contains(bytes, LOCAL_VARIABLES)) {
                    withLocals.add(entry.getName());
                }
                if (contains(bytes, LINE_NUMBERS)) {
                    withLines++;
                }
            }
        }
        assertTrue(classes > 3_000, classes + " classes in " + Jpm.JAR);
        assertEquals(
                List.of(), withLocals.subList(0, Math.min(5, withLocals.size())), withLocals.size() + " with them");
        // interfaces and annotations have no code to number
        assertTrue(withLines > classes * 8 / 10, withLines + " of " + classes + " classes with line numbers");
    }

    @Test
    void aStackTraceThroughTheJarNamesItsLines() throws Exception {
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {Jpm.JAR.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> conf = loader.loadClass("io.jpm.config.ModuleConf");
            assertEquals(loader, conf.getClassLoader());
            // no text at all: a NullPointerException at its first line (jpm's own errors carry no stack)
            StackTraceElement own = thrownBy(
                    () -> conf.getMethod("parse", String.class, String.class).invoke(null, "test", null))[0];
            assertEquals("io.jpm.config.ModuleConf", own.getClassName());
            assertTrue(own.getLineNumber() > 0, own.toString());
            Class<?> json = loader.loadClass("io.vertx.core.json.JsonObject");
            StackTraceElement dependency =
                    thrownBy(() -> json.getConstructor(String.class).newInstance("["))[0];
            assertTrue(
                    dependency.getClassName().startsWith("io.vertx.")
                            || dependency.getClassName().startsWith("com.fasterxml."),
                    dependency.toString());
            assertTrue(dependency.getLineNumber() > 0, dependency.toString());
        }
    }

    /** The stack trace of what the call threw (through reflection). */
    private static StackTraceElement[] thrownBy(Reflective call) throws Exception {
        try {
            call.run();
        } catch (InvocationTargetException e) {
            return e.getCause().getStackTrace();
        }
        throw new AssertionError("nothing thrown");
    }

    private interface Reflective {
        void run() throws Exception;
    }

    private static boolean contains(byte[] bytes, byte[] name) {
        outer:
        for (int i = 0; i <= bytes.length - name.length; i++) {
            for (int j = 0; j < name.length; j++) {
                if (bytes[i + j] != name[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
