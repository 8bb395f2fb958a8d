package io.jpm.daemon;

import java.lang.ref.Cleaner;
import java.lang.reflect.Field;
import java.util.logging.Logger;

/**
 * Hands Vert.x the JDK's common cleaner in place of its own, so that the thread of its own ends (one
 * thread fewer for the daemon's life). VertxImpl's static initialiser makes a Cleaner (one thread, "Cleaner-0", for the
 * daemon's life) to close clients and worker executors their users dropped without closing; the JDK's
 * common cleaner ("Common-Cleaner") runs anyway and does the same work. With the field pointing at the
 * common one, Vert.x's own Cleaner is unreachable, and its thread ends at the next collection (a
 * Cleaner's thread ends once the Cleaner itself is collected and nothing registered with it is left).
 *
 * <p>Neither field is reachable by plain reflection (a private static final, and a package java.base
 * does not export; the --add-exports flag would cost every start ~30 ms, see DaemonJvm), so both are
 * read and written through sun.misc.Unsafe (module jdk.unsupported), once, first thing in the start
 * (loading VertxImpl, which the start does a moment later anyway): nothing is registered with Vert.x's
 * own Cleaner yet, and it is collected by the start's first young collections. Whatever goes wrong leaves Vert.x's own cleaner in place: one
 * thread more, nothing else.
 *
 * <p>Why Unsafe: Vert.x has no option for its cleaner, a static final field cannot be written through
 * reflection or a VarHandle, and without it the daemon keeps the thread for its life. Checked on Vert.x
 * 5.0.10 and JDK 17-25; VertxInternalsTest fails when the field is not what it was.
 */
final class VertxCleaner {
    private static final Logger LOG = Logger.getLogger("jpm.daemon");

    private VertxCleaner() {}

    @SuppressWarnings("deprecation") // as below
    /** Points VertxImpl's cleaner at the JDK's common one; false when it stays Vert.x's own. */
    static boolean useCommonCleaner() {
        try {
            Field theUnsafe = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            sun.misc.Unsafe unsafe = (sun.misc.Unsafe) theUnsafe.get(null);
            Field common = Class.forName("jdk.internal.ref.CleanerFactory").getDeclaredField("commonCleaner");
            Object commonCleaner = staticValue(unsafe, common);
            Field vertx = Class.forName("io.vertx.core.impl.VertxImpl").getDeclaredField("cleaner");
            if (!(commonCleaner instanceof Cleaner) || vertx.getType() != Cleaner.class) {
                LOG.fine("Vert.x's cleaner left as it is: the fields are not what they were");
                return false;
            }
            unsafe.putObjectVolatile(unsafe.staticFieldBase(vertx), unsafe.staticFieldOffset(vertx), commonCleaner);
            return staticValue(unsafe, vertx) == commonCleaner;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.fine(() -> "Vert.x's cleaner left as it is: " + e);
            return false;
        }
    }

    @SuppressWarnings("deprecation") // staticFieldBase/Offset: deprecated for removal after 17, present in 17
    private static Object staticValue(sun.misc.Unsafe unsafe, Field field) {
        return unsafe.getObjectVolatile(unsafe.staticFieldBase(field), unsafe.staticFieldOffset(field));
    }
}
