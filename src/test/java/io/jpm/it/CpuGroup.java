package io.jpm.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A cpu cgroup of the default weight: the processes put in it share one machine-wide share between
 * them, as equals, whatever else the machine runs; a test loads them without loading the ITs beside
 * it, and what it measures does not shrink as those grow. Made beside the test JVM's own cpu cgroup
 * (cgroup v1's cpu controller, or v2's when this JVM sits at its root with cpu enabled). Linux's
 * autogroup does not act inside a cgroup other than the root: nice values in it count as on a
 * machine without it. Where no cpu controller is writable (not root, no cgroupfs) there is none.
 */
final class CpuGroup implements AutoCloseable {
    private static final Path V1 = Path.of("/sys/fs/cgroup/cpu");
    private static final Path V2 = Path.of("/sys/fs/cgroup");

    private final Path dir;
    private final Path parent;

    private CpuGroup(Path parent, Path dir) {
        this.parent = parent;
        this.dir = dir;
    }

    /** A new group named after {@code name} and this JVM's pid, or empty where none can be made. */
    static Optional<CpuGroup> create(String name) {
        Optional<Path> parent = ownCpuGroup();
        if (parent.isEmpty()) {
            return Optional.empty();
        }
        Path dir = parent.get().resolve(name + "-" + ProcessHandle.current().pid());
        try {
            Files.createDirectory(dir);
            return Optional.of(new CpuGroup(parent.get(), dir));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Moves {@code pid} (all its threads) into the group; its later children start in it. */
    void add(long pid) throws IOException {
        Files.writeString(dir.resolve("cgroup.procs"), Long.toString(pid));
    }

    /** Moves {@code root} and every process below it into the group. */
    void addTree(ProcessHandle root) throws IOException {
        add(root.pid());
        for (ProcessHandle child : root.descendants().toList()) {
            if (child.isAlive()) {
                add(child.pid());
            }
        }
    }

    /** Hands what is still in the group back to the parent group and removes it. */
    @Override
    public void close() throws IOException {
        for (String pid : Files.readAllLines(dir.resolve("cgroup.procs"))) {
            try {
                Files.writeString(parent.resolve("cgroup.procs"), pid);
            } catch (IOException ended) {
                // the process ended meanwhile
            }
        }
        Files.delete(dir);
    }

    /** This JVM's cpu cgroup directory when it is writable, from /proc/self/cgroup. */
    private static Optional<Path> ownCpuGroup() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/cgroup"));
        } catch (IOException e) {
            return Optional.empty();
        }
        return lines.stream()
                .flatMap(line -> {
                    String[] fields = line.split(":", 3);
                    if (fields.length < 3) {
                        return Stream.empty();
                    }
                    boolean v1Cpu = List.of(fields[1].split(",")).contains("cpu");
                    if (v1Cpu && Files.isDirectory(V1)) {
                        return Stream.of(V1.resolve(fields[2].substring(1)));
                    }
                    if (fields[0].equals("0") && fields[2].equals("/") && v2CpuEnabled()) {
                        return Stream.of(V2);
                    }
                    return Stream.empty();
                })
                .filter(dir -> Files.isWritable(dir.resolve("cgroup.procs")))
                .findFirst();
    }

    private static boolean v2CpuEnabled() {
        try {
            return List.of(Files.readString(V2.resolve("cgroup.subtree_control"))
                            .trim()
                            .split(" "))
                    .contains("cpu");
        } catch (IOException e) {
            return false;
        }
    }
}
