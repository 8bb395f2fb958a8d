package io.jpm.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Set;

/**
 * JPM_HOME made and checked, and the files jpm writes in it, opened as OpenSSH and systemd open
 * theirs: created with O_EXCL (a name someone planted, a symbolic link included, makes the create
 * fail rather than write where it points) or opened with O_NOFOLLOW. The home is checked first
 * ({@link Ownership#folderProblem}), so no other user can put anything in it afterwards; these opens
 * are the second wall, for what was there before.
 */
public final class PrivateFiles {
    private PrivateFiles() {}

    /**
     * Makes JPM_HOME when it is missing (0700 from the start: created, then checked, never a window
     * where it is open to others), then refuses it unless it is the user's: a {@link JpmException}
     * (FORBIDDEN) whose message is the one line saying why and how to fix it.
     */
    public static void makeHome(JpmHome home) throws IOException {
        Path root = home.root();
        refuseIf(Ownership.notPlainProblem(JpmEnv.HOME.variable, root)); // before anything is made through it
        Path parent = root.getParent();
        if (parent != null && Ownership.lstat(root) == null) {
            Files.createDirectories(parent);
        }
        makeFolder(root);
        checkHome(home);
    }

    /** A folder jpm owns (JPM_HOME or one of its own in it), created 0700 when missing; an existing one is checked after. */
    public static void makeFolder(Path dir) throws IOException {
        try {
            Files.createDirectory(dir, ownerOnly("rwx------"));
        } catch (FileAlreadyExistsException e) {
            // whoever made it, the check that follows says whether it is trusted
        }
    }

    /** Refuses JPM_HOME (it exists or not) unless it is the user's, as {@link #makeHome} does. */
    public static void checkHome(JpmHome home) throws IOException {
        refuseIf(Ownership.folderProblem(JpmEnv.HOME.variable, home.root(), Ownership.currentUid()));
    }

    /** Refuses a file of JPM_HOME jpm reads (a token, daemon.json) unless it is the user's own regular file. */
    public static void checkHomeFile(Path file) throws IOException {
        refuseIf(Ownership.homeFileProblem(file, Ownership.currentUid()));
    }

    private static void refuseIf(String problem) {
        if (problem != null) {
            throw new JpmException(JpmError.FORBIDDEN, problem);
        }
    }

    /**
     * Writes {@code text} whole, readable by the owner only: a temp file of a random name beside it,
     * created with O_EXCL and written through that same descriptor, then renamed over {@code file}
     * (a rename replaces a symbolic link at that name, it never writes where the link points).
     */
    public static void replace(Path file, String text) throws IOException {
        BlockingCall.check("a write of " + file);
        Path temp = file.resolveSibling(
                "." + file.getFileName() + "." + HexFormat.of().formatHex(KernelRandom.bytes(6)) + ".tmp");
        try {
            createNew(temp, text.getBytes(StandardCharsets.UTF_8));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Creates {@code file} (O_CREAT|O_EXCL, 0600) with these bytes; fails when anything is at that name. */
    public static void createNew(Path file, byte[] bytes) throws IOException {
        BlockingCall.check("a write of " + file);
        try (FileChannel channel = FileChannel.open(
                file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly("rw-------"))) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    /**
     * Opens {@code file} for appending, created 0600 when missing, never through a symbolic link
     * (O_NOFOLLOW: a link there fails the open); the caller closes it.
     */
    public static FileChannel openAppend(Path file) throws IOException {
        Set<OpenOption> options = Set.of(
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS);
        return FileChannel.open(file, options, ownerOnly("rw-------"));
    }

    /** Reads a small file of JPM_HOME (a token) without following a symbolic link. */
    public static String read(Path file) throws IOException {
        BlockingCall.check("a read of " + file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 1 << 20));
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // a token or daemon.json: a few hundred bytes
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        }
    }

    /** A lock file (daemon.lock) opened for locking: owner-only when this open creates it, never through a link. */
    public static FileChannel openLock(Path file) throws IOException {
        return FileChannel.open(
                file,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                ownerOnly("rw-------"));
    }

    /** Made when a file is created, not at class load: a client that only reads (jpm ls) needs none. */
    private static FileAttribute<Set<PosixFilePermission>> ownerOnly(String mode) {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode));
    }
}
