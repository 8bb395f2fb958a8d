package io.jpm.cli.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's flags for the native libraries beside the jar: only those there, for this architecture. */
class NativeLibrariesTest {
    @TempDir
    Path dir;

    private Path folderWith(String... files) throws IOException {
        Path folder = dir.resolve(NativeLibraries.FOLDER);
        for (String file : files) {
            Files.createDirectories(folder.resolve(file).getParent());
            Files.writeString(folder.resolve(file), "ELF");
        }
        return folder;
    }

    @Test
    void bothLibrariesOfThisArchitectureAreNamedTheJvmsPathKept() throws IOException {
        Path folder = folderWith(
                "libnetty_transport_native_epoll_x86_64.so",
                "jna/linux-x86-64/libjnidispatch.so",
                "libnetty_transport_native_epoll_aarch_64.so",
                "jna/linux-aarch64/libjnidispatch.so");
        assertEquals(
                List.of(
                        "-Djava.library.path=" + folder + ":/usr/lib",
                        "-Djna.boot.library.path=" + folder.resolve("jna/linux-x86-64")),
                NativeLibraries.flags(folder, "amd64", "/usr/lib"));
        assertEquals(
                List.of(
                        "-Djava.library.path=" + folder,
                        "-Djna.boot.library.path=" + folder.resolve("jna/linux-aarch64")),
                NativeLibraries.flags(folder, "aarch64", ""));
    }

    @Test
    void aLibraryThatIsNotThereIsNotNamed() throws IOException {
        Path folder = folderWith("jna/linux-x86-64/libjnidispatch.so");
        assertEquals(
                List.of("-Djna.boot.library.path=" + folder.resolve("jna/linux-x86-64")),
                NativeLibraries.flags(folder, "amd64", "/usr/lib"));
        assertEquals(List.of(), NativeLibraries.flags(dir.resolve("none"), "amd64", "/usr/lib"), "no folder");
    }

    @Test
    void anArchitectureNettyShipsNoLibraryForGetsNone() throws IOException {
        Path folder = folderWith("jna/linux-ppc64le/libjnidispatch.so");
        assertEquals(List.of(), NativeLibraries.flags(folder, "ppc64le", "/usr/lib"));
    }

    @Test
    void aFolderWhoseNameHoldsThePathSeparatorIsLeftOut() throws IOException {
        Path odd = Files.createDirectories(dir.resolve("a:b"));
        Path folder = odd.resolve(NativeLibraries.FOLDER);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("libnetty_transport_native_epoll_x86_64.so"), "ELF");
        assertEquals(List.of(), NativeLibraries.flags(folder, "amd64", "/usr/lib"));
    }
}
