package io.jpm.daemon;

/** Where JNA finds libraries, said before its first load (DaemonMain's first step). */
final class JnaLibraryPath {
    private JnaLibraryPath() {}

    /**
     * JNA runs {@code /sbin/ldconfig -p} when its first library loads, to learn where libraries
     * live, unless {@code jna.platform.library.path} says: a process (and the JDK's reaper thread
     * for a minute) at every daemon start, on the way to its first answer. The paths it would find on a Debian-style
     * system are given instead; libc itself is loaded by its soname ({@code LibC.NAME}), which the
     * dynamic loader finds wherever it is. A value given on the command line wins.
     */
    static void set() {
        String arch =
                switch (System.getProperty("os.arch")) {
                    case "amd64", "x86_64" -> "x86_64-linux-gnu";
                    case "aarch64" -> "aarch64-linux-gnu";
                    default -> null;
                };
        String paths =
                (arch == null ? "" : "/lib/" + arch + ":/usr/lib/" + arch + ":") + "/lib64:/usr/lib64:/lib:/usr/lib";
        System.getProperties().putIfAbsent("jna.platform.library.path", paths);
    }
}
