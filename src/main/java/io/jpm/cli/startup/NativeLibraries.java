package io.jpm.cli.startup;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Netty's epoll library and JNA's dispatch library as files in {@code native/} beside the jar (the
 * build unpacks them from it: target/native, a release's lib/native), from which the daemon loads
 * them: each looks on its library path first ({@code java.library.path}, {@code jna.boot.library.path}).
 *
 * <p>Why: without them each copied its library out of the jar into a temporary file at every start
 * (Netty into /tmp, JNA into ~/.cache/JNA), named by File.createTempFile, whose SecureRandom set up the
 * JDK's security providers in the daemon, and looked the library up as a resource through every module
 * of the runtime image first: an idle daemon's RSS ~0.3 MB more (docs/BENCHMARKS.md, foundation). A
 * jar with no such folder (another build, an architecture neither ships) starts as before.
 */
public final class NativeLibraries {
    static final String FOLDER = "native";

    private NativeLibraries() {}

    /** The daemon's flags naming the libraries beside {@code jar}: none when there are none for this machine. */
    public static List<String> daemonFlags(Path jar) {
        Path dir = jar.toAbsolutePath().getParent();
        return dir == null
                ? List.of()
                : flags(
                        dir.resolve(FOLDER),
                        System.getProperty("os.arch", ""),
                        System.getProperty("java.library.path", ""));
    }

    /**
     * The flags for the libraries of {@code osArch} in {@code folder}; the library path keeps
     * {@code libraryPath} (the JVM's own) after the folder.
     */
    static List<String> flags(Path folder, String osArch, String libraryPath) {
        Arch arch = Arch.of(osArch);
        // the library path is a list: a folder whose name holds its separator cannot be on it
        if (arch == null || folder.toString().contains(File.pathSeparator)) {
            return List.of();
        }
        List<String> flags = new ArrayList<>();
        if (Files.isRegularFile(folder.resolve("libnetty_transport_native_epoll_" + arch.netty + ".so"))) {
            flags.add(
                    "-Djava.library.path=" + folder + (libraryPath.isEmpty() ? "" : File.pathSeparator + libraryPath));
        }
        Path jna = folder.resolve("jna").resolve(arch.jna);
        if (Files.isRegularFile(jna.resolve("libjnidispatch.so"))) {
            flags.add("-Djna.boot.library.path=" + jna);
        }
        return flags;
    }

    /** The architectures Netty ships an epoll library for, as each library names them. */
    private enum Arch {
        X86_64("x86_64", "linux-x86-64"),
        AARCH64("aarch_64", "linux-aarch64");

        final String netty;
        final String jna;

        Arch(String netty, String jna) {
            this.netty = netty;
            this.jna = jna;
        }

        /** From the JVM's os.arch; null for one with no Netty library. */
        static Arch of(String osArch) {
            return switch (osArch) {
                case "amd64", "x86_64" -> X86_64;
                case "aarch64" -> AARCH64;
                default -> null;
            };
        }
    }
}
