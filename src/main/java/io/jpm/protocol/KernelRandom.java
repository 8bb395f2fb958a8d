package io.jpm.protocol;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Random bytes read from the kernel's generator (/dev/urandom), for the names and tokens jpm makes: a
 * temporary file's name, a socket folder's, an app channel's token, the home's tokens. The JDK's
 * SecureRandom reads the same device on Linux (NativePRNG), but its first use sets up the security
 * providers: ~60 classes and their tables in the daemon's memory for good (docs/BENCHMARKS.md,
 * foundation), and ~20 ms of a client's start. A file read: never on an event loop.
 */
public final class KernelRandom {
    private static final String DEVICE = "/dev/urandom";

    private KernelRandom() {}

    /** {@code count} random bytes. */
    public static byte[] bytes(int count) {
        BlockingCall.check("a read of " + DEVICE);
        byte[] bytes = new byte[count];
        try (FileInputStream in = new FileInputStream(DEVICE)) {
            int read = 0;
            while (read < count) {
                int n = in.read(bytes, read, count - read);
                if (n < 0) {
                    throw new IOException(DEVICE + " ended");
                }
                read += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEVICE + ": " + e.getMessage(), e);
        }
        return bytes;
    }
}
