package io.jpm.it;

import io.jpm.testkit.Eventually;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Hosts of their own on one machine, for what must cross a network that can be cut: network
 * namespaces made here (iproute2's {@code ip netns}, root only), each with an address on one
 * switch (a bridge in a namespace of its own, so the machine's own network is never touched),
 * joined to it by a veth pair. {@link #cut} takes a host's link down at the switch: its packets
 * are dropped both ways, with no reset, as a pulled cable would; {@link #heal} brings it back.
 * Everything is deleted by {@link #close()}.
 */
final class NetworkNamespaces implements AutoCloseable {
    private final String id = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36);
    private final String subnet = "10.231." + ThreadLocalRandom.current().nextInt(1, 250);
    private final String switchNs = "jpm-sw-" + id;
    private final List<String> made = new ArrayList<>();

    /** Whether namespaces can be made here (root and iproute2); say why not, or null. */
    static String unavailableBecause() {
        String probe = "jpm-probe-" + ThreadLocalRandom.current().nextInt(1 << 20);
        try {
            run("ip", "netns", "add", probe);
            run("ip", "netns", "del", probe);
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    NetworkNamespaces() throws IOException {
        add(switchNs);
        run("ip", "-n", switchNs, "link", "add", "br0", "type", "bridge");
        run("ip", "-n", switchNs, "link", "set", "br0", "up");
    }

    /** Makes host {@code n} (1-250): its namespace, its link to the switch and its address ({@link #address}). */
    void host(int n) throws IOException {
        String ns = namespace(n);
        add(ns);
        run("ip", "-n", ns, "link", "set", "lo", "up");
        run("ip", "-n", switchNs, "link", "add", "port" + n, "type", "veth", "peer", "name", "eth0", "netns", ns);
        run("ip", "-n", switchNs, "link", "set", "port" + n, "master", "br0");
        run("ip", "-n", switchNs, "link", "set", "port" + n, "up");
        run("ip", "-n", ns, "addr", "add", address(n) + "/24", "dev", "eth0");
        run("ip", "-n", ns, "link", "set", "eth0", "up");
    }

    /** One more address of host {@code n} on its link, {@code address(other)}: several clients on one host. */
    void alias(int n, int other) throws IOException {
        run("ip", "-n", namespace(n), "addr", "add", address(other) + "/24", "dev", "eth0");
    }

    String address(int n) {
        return subnet + "." + n;
    }

    /** What runs a command inside host {@code n}. */
    List<String> exec(int n) {
        return List.of("ip", "netns", "exec", namespace(n));
    }

    /**
     * 127.0.0.1:{@code port} of the test's own namespace forwarded to 127.0.0.1:{@code port} inside host
     * {@code n} (fixtures/netns_forward.py): a browser outside reaches a daemon's web server there. The
     * forwarder is the caller's to end ({@link Process#destroy}).
     */
    Process forward(int n, int port) throws IOException {
        Process forwarder = new ProcessBuilder(
                        "python3",
                        Jpm.fixture("netns_forward.py").toString(),
                        "/var/run/netns/" + namespace(n),
                        Integer.toString(port),
                        Integer.toString(port))
                .redirectErrorStream(true)
                .start();
        String first = new java.io.BufferedReader(
                        new java.io.InputStreamReader(forwarder.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        if (!"ready".equals(first)) {
            forwarder.destroyForcibly();
            throw new IOException("the forwarder into host " + n + " did not start: " + first);
        }
        return forwarder;
    }

    void cut(int n) throws IOException {
        run("ip", "-n", switchNs, "link", "set", "port" + n, "down");
    }

    void heal(int n) throws IOException {
        run("ip", "-n", switchNs, "link", "set", "port" + n, "up");
    }

    /**
     * Every process in host {@code n} killed (SIGKILL), as a host that loses its power; again until
     * none is left (a keeper may start a daemon between two kills): how many.
     */
    int killEverything(int n) throws IOException {
        int killed = 0;
        for (int round = 0; round < 20; round++) {
            Process list = new ProcessBuilder("ip", "netns", "pids", namespace(n))
                    .redirectErrorStream(true)
                    .start();
            String pids = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (pids.isEmpty()) {
                return killed;
            }
            for (String pid : pids.split("\\s+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                killed++;
            }
            Eventually.until(
                    "the processes of host " + n + " to die",
                    java.time.Duration.ofSeconds(10),
                    () -> java.util.Arrays.stream(pids.split("\\s+")).noneMatch(pid -> Jpm.alive(Long.parseLong(pid))));
        }
        throw new IOException("host " + n + "'s processes keep coming back");
    }

    private String namespace(int n) {
        return "jpm-h" + n + "-" + id;
    }

    private void add(String ns) throws IOException {
        run("ip", "netns", "add", ns);
        made.add(ns);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (int i = made.size() - 1; i >= 0; i--) {
            try {
                run("ip", "netns", "del", made.get(i));
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": did not finish within 20 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + ": exit " + process.exitValue() + ": " + out);
        }
    }
}
