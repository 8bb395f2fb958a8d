package io.jpm.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TCP ports for a test to hand to the code under test before it listens. Where the code can
 * listen on port 0 and tell which port it got, a test should do that instead.
 */
public final class Ports {
    /**
     * Below the kernel's ephemeral range (from 32768): a port the kernel hands out could be taken as
     * the source port of an outgoing connection (a daemon's own, a cluster member's) before the code
     * under test binds it.
     */
    private static final int LOWEST = 20_000;

    private static final int HIGHEST = 32_000;
    /**
     * Test JVMs run side by side (failsafe's forkCount, each told its number in {@code jpm.test.fork},
     * "fork-N") each take ports from a slice of their own: one JVM never hands out a port another
     * just handed out and its daemon has not bound yet.
     */
    private static final int SLICES = 4;

    private static final int FIRST;
    private static final int END;

    static {
        String fork = System.getProperty("jpm.test.fork", "");
        if (fork.matches("fork-\\d+")) {
            int size = (HIGHEST - LOWEST) / SLICES;
            FIRST = LOWEST + Math.floorMod(Integer.parseInt(fork.substring("fork-".length())) - 1, SLICES) * size;
            END = FIRST + size;
        } else {
            FIRST = LOWEST;
            END = HIGHEST;
        }
    }

    /** Ports handed out in this JVM: two asked for in a row are never the same before either binds. */
    private static final Set<Integer> HANDED = new HashSet<>();

    private Ports() {}

    /** A port nothing listens on now, on any address (IPv4 or IPv6), not handed out before. */
    public static synchronized int free() {
        if (HANDED.size() > (END - FIRST) / 2) {
            HANDED.clear();
        }
        while (true) {
            int port = ThreadLocalRandom.current().nextInt(FIRST, END);
            if (!HANDED.contains(port) && bindable(null, port)) {
                HANDED.add(port);
                return port;
            }
        }
    }

    /** Whether a process of ours could listen on {@code port} of {@code host} now (null: every address). */
    public static boolean bindable(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            InetAddress address = host == null ? null : InetAddress.getByName(host);
            socket.bind(address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
