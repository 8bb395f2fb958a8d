package io.jpm.cli.command;

import io.jpm.cli.transport.DaemonJvm;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a systemd unit runs to bring jpm back: the {@code jpm} the user called, by the path it was
 * called by (bin/jpm passes it as {@code -Djpm.launcher}), and preferably by a link on PATH to the
 * same script. An installed package's unit so names /usr/bin/jpm, not /usr/lib/jpm/bin/jpm nor a
 * versioned folder, and keeps working after the package is upgraded or the folder moved behind
 * the link. A release carries its own runtime, which bin/jpm always uses: its unit sets no
 * JAVA_HOME.
 */
record UnitLauncher(List<String> command, String javaHome) {
    /** Set by bin/jpm: the path it was called by, made absolute, links not followed. */
    static final String CALLED_PROPERTY = "jpm.launcher";

    /** The launcher of this very CLI, from bin/jpm's property, PATH and where the jar is. */
    static UnitLauncher current() {
        String javaHome = System.getProperty("java.home");
        Path jar = ownJar();
        boolean bundled = jar != null
                && jar.getParent() != null
                && jar.getParent().getParent() != null
                && Path.of(javaHome).equals(jar.getParent().getParent().resolve("runtime"));
        String called = System.getProperty(CALLED_PROPERTY);
        String path = System.getenv().getOrDefault("PATH", "");
        List<String> command = called != null && !called.isBlank() && Files.isExecutable(Path.of(called))
                ? List.of(onPath(Path.of(called).normalize(), path).toString())
                : fromJar(jar);
        return new UnitLauncher(command, bundled ? null : javaHome);
    }

    /**
     * The first {@code jpm} on {@code path} that is the same file as {@code called} (a link to it), else
     * {@code called} itself: /usr/lib/jpm/bin/jpm called by its own path still gives /usr/bin/jpm.
     */
    static Path onPath(Path called, String path) {
        if (!called.isAbsolute()) {
            return called;
        }
        for (String dir : path.split(":")) {
            if (dir.isEmpty() || !Path.of(dir).isAbsolute()) {
                continue; // "" and relative entries name the current folder, which boot does not have
            }
            Path candidate = Path.of(dir).resolve(called.getFileName());
            if (candidate.equals(called)) {
                return called;
            }
            try {
                if (Files.isExecutable(candidate) && Files.isSameFile(candidate, called)) {
                    return candidate;
                }
            } catch (IOException e) {
                // unreadable: not this one
            }
        }
        return called;
    }

    /** Without bin/jpm's property (java -cp jpm.jar): bin/jpm beside the jar when there is one, else java -cp. */
    private static List<String> fromJar(Path jar) {
        if (jar == null) {
            return List.of("jpm");
        }
        Path script = jar.getParent() == null || jar.getParent().getParent() == null
                ? null
                : jar.getParent().getParent().resolve("bin").resolve("jpm");
        if (script != null && Files.isExecutable(script)) {
            return List.of(script.toString());
        }
        return List.of(DaemonJvm.javaBinary(), "-cp", jar.toString(), "io.jpm.cli.Main");
    }

    private static Path ownJar() {
        try {
            return Path.of(UnitLauncher.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
