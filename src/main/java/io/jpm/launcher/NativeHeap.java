package io.jpm.launcher;

import com.sun.jna.Native;
import io.jpm.protocol.BlockingCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident size and glibc's malloc_trim, for the daemon's own trim (daemon.NativeHeapTrim). */
public final class NativeHeap {
    private static final Path STATM = Path.of("/proc/self/statm");

    private NativeHeap() {}

    /** Bound apart from LibC: another C library (musl) has no malloc_trim. */
    private static final class Calls {
        private static final int SC_PAGESIZE = 30;
        static final boolean BOUND = bind();
        static final long PAGE = BOUND ? sysconf(SC_PAGESIZE) : 4096;

        static native int malloc_trim(long pad);

        static native long sysconf(int name);

        private static boolean bind() {
            try {
                Native.register(Calls.class, LibC.NAME);
                return true;
            } catch (UnsatisfiedLinkError e) {
                return false;
            }
        }
    }

    /** Whether this system has both: /proc and glibc. */
    public static boolean available() {
        BlockingCall.check("a look at /proc/self/statm");
        return Files.isReadable(STATM) && Calls.BOUND;
    }

    /** Gives the free memory glibc keeps back to the system (blocking: milliseconds). */
    public static void trim() {
        Calls.malloc_trim(0);
    }

    /** Resident bytes, or -1. */
    public static long rss() {
        BlockingCall.check("a read of /proc/self/statm");
        try {
            String[] fields = Files.readString(STATM).trim().split(" ");
            return Long.parseLong(fields[1]) * Calls.PAGE;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
