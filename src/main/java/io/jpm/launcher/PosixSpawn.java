package io.jpm.launcher;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * glibc's posix_spawn(3) through JNA: one clone(CLONE_VM|CLONE_VFORK) and one exec per app, with
 * everything the app must start with done in the child between the two by glibc itself:
 * <ul>
 *   <li>a session of its own ({@code POSIX_SPAWN_SETSID}, glibc 2.26+), or a process group of its
 *       own in the daemon's session ({@code POSIX_SPAWN_SETPGROUP}, see
 *       {@link io.jpm.process.LaunchSpec#ownSession}): either way its pid is its process group, so
 *       a signal to {@code -pid} reaches every process it forks, even double-forked ones;
 *   <li>every signal at its default disposition ({@code POSIX_SPAWN_SETSIGDEF}, every one): an
 *       ignored signal survives exec, and the JVM ignores SIGPIPE, a daemon started from a
 *       background job SIGINT (the default kill signal);
 *   <li>an empty signal mask ({@code POSIX_SPAWN_SETSIGMASK}): HotSpot blocks SIGQUIT in Java
 *       threads, and a child inherits the spawning thread's mask;
 *   <li>its pipes at 0-2 and the passed descriptors at 3, 4, ... (dup2), its folder
 *       ({@code addchdir_np}, 2.29+), and every other descriptor closed ({@code addclosefrom_np},
 *       2.34+): the JVM opens many files without close-on-exec (jars, sockets), none may leak.
 * </ul>
 * This replaced NuProcess's path (the JDK's vfork, then {@code setsid} and {@code env
 * --default-signal}, three execs per app) where it is available; see {@link #unavailable()}.
 */
final class PosixSpawn {
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;
    private static final short POSIX_SPAWN_SETPGROUP = 0x02;
    /** Larger than glibc's posix_spawnattr_t (336 bytes) and posix_spawn_file_actions_t (80). */
    private static final int OPAQUE_BYTES = 1024;
    /** What execvp runs a file with when the kernel cannot (no #! line), as env did before. */
    static final String SHELL = "/bin/sh";
    /** The calls whose absence makes this path unusable (glibc older than 2.34, musl). */
    private static final List<String> NEEDED = List.of(
            "posix_spawn",
            "posix_spawnattr_setflags",
            "posix_spawnattr_setsigdefault",
            "posix_spawnattr_setsigmask",
            "posix_spawn_file_actions_adddup2",
            "posix_spawn_file_actions_addchdir_np",
            "posix_spawn_file_actions_addclosefrom_np",
            "sigemptyset");

    private PosixSpawn() {}

    /** Why this path cannot be used here (a missing call, no pidfd), or null when it can. */
    static String unavailable() {
        return Check.WHY;
    }

    /** Checked once, without registering anything that might be missing. */
    private static final class Check {
        static final String WHY = check();

        private static String check() {
            if (!Platform.isLinux()) {
                return "not Linux";
            }
            try {
                NativeLibrary c = NativeLibrary.getInstance(LibC.NAME);
                for (String name : NEEDED) {
                    c.getFunction(name);
                }
            } catch (UnsatisfiedLinkError e) {
                return "libc lacks " + e.getMessage() + " (glibc 2.34 or later is needed)";
            }
            int pidfd = LibC.pidfdOpen((int) ProcessHandle.current().pid());
            if (pidfd < 0) {
                return "no pidfd_open (Linux 5.3 or later is needed)";
            }
            LibC.close(pidfd);
            return null;
        }
    }

    /** The natives, registered only once {@link Check} found them all. */
    private static final class Calls {
        static {
            Native.register(Calls.class, LibC.NAME);
        }

        static native int posix_spawn(
                int[] pid, Pointer path, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp);

        static native int posix_spawnattr_init(Pointer attr);

        static native int posix_spawnattr_setflags(Pointer attr, short flags);

        static native int posix_spawnattr_setsigdefault(Pointer attr, Pointer set);

        static native int posix_spawnattr_setsigmask(Pointer attr, Pointer set);

        static native int posix_spawn_file_actions_init(Pointer actions);

        static native int posix_spawn_file_actions_destroy(Pointer actions);

        static native int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

        static native int posix_spawn_file_actions_addchdir_np(Pointer actions, Pointer path);

        static native int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

        static native int sigemptyset(Pointer set);

        /** The same for every spawn of its kind, only read by posix_spawn: made once. */
        static final Memory OWN_SESSION = attributes(POSIX_SPAWN_SETSID);
        /** posix_spawnattr_init's process group is 0: setpgid(0, 0), a group led by the child. */
        static final Memory OWN_GROUP = attributes(POSIX_SPAWN_SETPGROUP);

        private static Memory attributes(short leads) {
            Memory attr = new Memory(OPAQUE_BYTES);
            Memory all = new Memory(OPAQUE_BYTES);
            Memory none = new Memory(OPAQUE_BYTES);
            check(posix_spawnattr_init(attr), "posix_spawnattr_init");
            // every bit, not sigfillset's set: that one leaves out glibc's internal signals (32, 33),
            // which the child then sets to SIG_IGN before exec, and an ignored signal stays ignored
            all.setMemory(0, OPAQUE_BYTES, (byte) 0xff);
            check(sigemptyset(none) == 0 ? 0 : Native.getLastError(), "sigemptyset");
            check(posix_spawnattr_setsigdefault(attr, all), "posix_spawnattr_setsigdefault");
            check(posix_spawnattr_setsigmask(attr, none), "posix_spawnattr_setsigmask");
            check(
                    posix_spawnattr_setflags(attr, (short) (leads | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)),
                    "posix_spawnattr_setflags");
            return attr;
        }

        private static void check(int rc, String call) {
            if (rc != 0) {
                throw new IllegalStateException(call + " failed: " + LibC.strerror(rc));
            }
        }
    }

    /**
     * Spawns {@code path} with {@code argv} and {@code env} ("NAME=value" entries) in {@code cwd}.
     * {@code stdio} are the child's ends of its three pipes; {@code passed} go to 3, 4, ... Every
     * source descriptor must be at least {@code 3 + passed.length} (see {@link #lift}), so that no
     * dup2 overwrites a source another one still needs. {@code ownSession}: see
     * {@link io.jpm.process.LaunchSpec#ownSession}.
     *
     * @return the child's pid
     * @throws SpawnError with the error posix_spawn reported (the exec's own, such as ENOENT)
     */
    static int spawn(
            String path, List<String> argv, List<String> env, Path cwd, int[] stdio, int[] passed, boolean ownSession)
            throws SpawnError {
        Memory actions = new Memory(OPAQUE_BYTES);
        int rc = Calls.posix_spawn_file_actions_init(actions);
        if (rc != 0) {
            throw new SpawnError(rc, "posix_spawn_file_actions_init");
        }
        try {
            add(Calls.posix_spawn_file_actions_addchdir_np(actions, cString(cwd.toString())), "addchdir_np");
            for (int i = 0; i < 3; i++) {
                add(Calls.posix_spawn_file_actions_adddup2(actions, stdio[i], i), "adddup2");
            }
            for (int i = 0; i < passed.length; i++) {
                add(Calls.posix_spawn_file_actions_adddup2(actions, passed[i], 3 + i), "adddup2");
            }
            add(Calls.posix_spawn_file_actions_addclosefrom_np(actions, 3 + passed.length), "addclosefrom_np");
            int[] pid = new int[1];
            rc = Calls.posix_spawn(
                    pid,
                    cString(path),
                    actions,
                    ownSession ? Calls.OWN_SESSION : Calls.OWN_GROUP,
                    strings(argv),
                    strings(env));
            if (rc != 0) {
                throw new SpawnError(rc, path);
            }
            return pid[0];
        } finally {
            Calls.posix_spawn_file_actions_destroy(actions);
        }
    }

    private static void add(int rc, String call) throws SpawnError {
        if (rc != 0) {
            throw new SpawnError(rc, call);
        }
    }

    /**
     * {@code fd} itself when it is at least {@code floor}, else a close-on-exec duplicate at or above
     * it (the caller closes that one after the spawn).
     */
    static int lift(int fd, int floor) throws IOException {
        if (fd >= floor) {
            return fd;
        }
        int copy = LibC.fcntl(fd, LibC.F_DUPFD_CLOEXEC, floor);
        if (copy < 0) {
            throw new IOException("cannot duplicate descriptor " + fd + ": " + LibC.strerror(Native.getLastError()));
        }
        return copy;
    }

    /** UTF-8, as names and variables are bytes to the kernel and UTF-8 is what a system means by them today. */
    private static Memory cString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        Memory m = new Memory(bytes.length + 1L);
        m.write(0, bytes, 0, bytes.length);
        m.setByte(bytes.length, (byte) 0);
        return m;
    }

    private static StringArray strings(List<String> values) {
        return new StringArray(values.toArray(new String[0]), "UTF-8");
    }

    /** posix_spawn's error: the number, and what failed. */
    static final class SpawnError extends IOException {
        final int errno;

        SpawnError(int errno, String what) {
            super(what + ": " + LibC.strerror(errno));
            this.errno = errno;
        }
    }
}
