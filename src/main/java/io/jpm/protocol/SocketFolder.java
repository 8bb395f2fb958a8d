package io.jpm.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * Where the daemon's Unix sockets are: jpm.sock (the owner's door) and the apps' notify and IPC
 * sockets. A socket's path must fit sun_path (108
 * bytes with its NUL), so they are in JPM_HOME (the apps' in JPM_HOME/run) while the home is short
 * enough, and in a private folder of the daemon's otherwise: a name of 12 random hex digits in the
 * system's temp folder ({@code java.io.tmpdir}, /tmp), made with mode 0700 (mkdir fails if anything,
 * a link included, is at that name: another name is drawn), then checked with lstat to be the
 * daemon's user's own 0700 folder. Another user can neither guess the name beforehand nor reach what
 * is in it; the temp folder itself must be root's or the user's, and sticky if others may write it
 * (so nobody else can rename or remove the folder).
 *
 * <p>The folder is recorded in JPM_HOME/sockets (0600, in the 0700 home) and named by daemon.json's
 * {@code socket} (the path of jpm.sock, which the CLI reads). A daemon that died without its clean stop
 * (kill -9: its keeper starts the next one) leaves it: the next daemon, holding the home's lock,
 * reuses it once the same lstat check passes, and removes the sockets left in it; a recorded folder
 * that fails the check is left alone and a new one is made. A clean stop removes the folder and the
 * record; {@code jpm update} keeps both for the next daemon.
 *
 * @param dir the folder
 * @param inHome whether it is JPM_HOME itself (nothing to make or remove)
 */
public record SocketFolder(Path dir, boolean inHome) {
    /** sockaddr_un's sun_path, its terminating NUL included. */
    public static final int SUN_PATH = 108;
    /**
     * The longest relative path jpm gives a socket in the folder: an app's notify socket,
     * "run/&lt;daemon pid&gt;-&lt;run number&gt;.sock" (7 + 1 + up to 15 digits), and some.
     */
    static final int LONGEST_NAME = 32;

    static final String PREFIX = "jpm-";
    private static final int TRIES = 5;
    private static final int STICKY = 01000;
    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int PERMISSIONS = 07777;
    private static final int OWNER_ONLY = 0700;

    /** Whether every socket path jpm makes in {@code dir} fits sun_path. */
    public static boolean fits(Path dir) {
        return dir.toString().getBytes(StandardCharsets.UTF_8).length + 1 + LONGEST_NAME < SUN_PATH;
    }

    /**
     * The daemon's, at its start (it holds the home's lock): the home itself when its paths fit, else
     * the recorded private folder when it passes the check (the sockets left in it removed), else a new
     * one, recorded. Stale sockets in the home are the caller's to remove.
     *
     * @param problem told why a recorded folder is not reused (one line), or nothing
     */
    public static SocketFolder make(JpmHome home, Consumer<String> problem) throws IOException {
        return make(home, Path.of(System.getProperty("java.io.tmpdir")), problem);
    }

    /** As {@link #make(JpmHome, Consumer)}, a new folder made in {@code temp}. */
    static SocketFolder make(JpmHome home, Path temp, Consumer<String> problem) throws IOException {
        if (fits(home.root())) {
            return new SocketFolder(home.root(), true);
        }
        Path recorded = recorded(home);
        if (recorded != null) {
            String why = problemWith(recorded);
            if (why == null) {
                removeEntries(recorded);
                return new SocketFolder(recorded, false);
            }
            problem.accept(why + ": a new folder is made for the sockets");
        }
        Path made = makePrivate(checkedTemp(temp));
        PrivateFiles.replace(home.socketFolderRecord(), made + "\n");
        return new SocketFolder(made, false);
    }

    /**
     * The running daemon's, for the code that opens the apps' sockets: the home itself when its paths
     * fit, else the recorded private folder, checked again.
     */
    public static SocketFolder of(JpmHome home) throws IOException {
        if (fits(home.root())) {
            return new SocketFolder(home.root(), true);
        }
        Path recorded = recorded(home);
        if (recorded == null) {
            throw new IOException(home.root() + " is too deep for a socket path and " + home.socketFolderRecord()
                    + " names no folder for them");
        }
        String why = problemWith(recorded);
        if (why != null) {
            throw new IOException(why);
        }
        return new SocketFolder(recorded, false);
    }

    /** The owner's door: admin without a token, for whoever can open it (the daemon's user). */
    public Path jpmSocket() {
        return dir.resolve("jpm.sock");
    }

    /** The inner bridge socket of earlier daemons (a frame guard relayed to it): removed if one left it. */
    public Path formerBridgeSocket() {
        return dir.resolve("bridge.sock");
    }

    /** The apps' notify sockets and the Node IPC socket. */
    public Path appSockets() {
        return inHome ? dir.resolve("run") : dir;
    }

    /** A clean stop: the private folder, what is left in it and its record go (the home's own stays). */
    public void remove(JpmHome home) throws IOException {
        if (inHome) {
            return;
        }
        if (problemWith(dir) == null) {
            removeEntries(dir);
            Files.deleteIfExists(dir);
        }
        Files.deleteIfExists(home.socketFolderRecord());
    }

    private static Path recorded(JpmHome home) throws IOException {
        Path record = home.socketFolderRecord();
        if (Ownership.lstat(record) == null) {
            return null;
        }
        PrivateFiles.checkHomeFile(record);
        String text = PrivateFiles.read(record).trim();
        return text.isEmpty() ? null : Path.of(text);
    }

    /**
     * Why {@code dir} is not a private socket folder of this user's, in one line; null when it is: an
     * absolute path, named as jpm names them, that lstat finds to be a folder (not a link) owned by
     * this process's user with mode 0700.
     */
    static String problemWith(Path dir) throws IOException {
        if (!dir.isAbsolute()
                || dir.getFileName() == null
                || !dir.getFileName().toString().startsWith(PREFIX)) {
            return "the socket folder " + dir + " is not one jpm made";
        }
        Ownership.Stat stat = Ownership.lstat(dir);
        if (stat == null) {
            return "the socket folder " + dir + " is gone";
        }
        int uid = Ownership.currentUid();
        if (stat.symlink() || !stat.directory()) {
            return "the socket folder " + dir + " is not a folder (a link or a file is at its name)";
        }
        if (stat.uid() != uid) {
            return "the socket folder " + dir + " is owned by uid " + stat.uid() + ", not by you (uid " + uid + ")";
        }
        if ((stat.mode() & PERMISSIONS) != OWNER_ONLY) {
            return "the socket folder " + dir + " has mode " + String.format("%04o", stat.mode() & PERMISSIONS)
                    + ", not 0700";
        }
        return null;
    }

    /** The temp folder, once it is one where a folder of ours cannot be taken from us. */
    private static Path checkedTemp(Path given) throws IOException {
        Path temp = given.toRealPath();
        Ownership.Stat stat = Ownership.lstat(temp);
        int uid = Ownership.currentUid();
        if (stat == null || !stat.directory()) {
            throw new IOException("the temp folder " + temp + " is not a folder");
        }
        if (stat.uid() != 0 && stat.uid() != uid) {
            throw new IOException("the temp folder " + temp + " is owned by uid " + stat.uid()
                    + ": a socket folder made in it could be taken by that user");
        }
        if ((stat.mode() & GROUP_OR_OTHER_WRITE) != 0 && (stat.mode() & STICKY) == 0) {
            throw new IOException("the temp folder " + temp + " is writable by others and not sticky (mode "
                    + String.format("%04o", stat.mode() & PERMISSIONS)
                    + "): another user could rename a socket folder made in it");
        }
        if (!fits(temp.resolve(PREFIX + "0".repeat(12)))) {
            throw new IOException("the temp folder " + temp + " is too deep for a socket path");
        }
        return temp;
    }

    /**
     * mkdir of a random name with mode 0700 (a name taken, by anything or a link, fails it: another is
     * drawn), then checked: a umask can only take bits away, so a folder whose mode lost the owner's
     * own bits is given them back, as it is ours and nobody else can replace it in a sticky folder.
     */
    private static Path makePrivate(Path temp) throws IOException {
        for (int i = 0; i < TRIES; i++) {
            Path dir = temp.resolve(PREFIX + HexFormat.of().formatHex(KernelRandom.bytes(6)));
            try {
                Files.createDirectory(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            Ownership.Stat stat = Ownership.lstat(dir);
            if (stat != null && stat.directory() && (stat.mode() & PERMISSIONS) != OWNER_ONLY) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            String why = problemWith(dir);
            if (why != null) {
                throw new IOException(why + " just after it was made");
            }
            return dir;
        }
        throw new IOException("no free name for a socket folder in " + temp + " after " + TRIES + " tries");
    }

    /** What a daemon left in its folder (sockets): links are removed, never followed. */
    private static void removeEntries(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Ownership.Stat stat = Ownership.lstat(entry);
                if (stat != null && !stat.directory()) {
                    Files.deleteIfExists(entry);
                }
            }
        } catch (NoSuchFileException e) {
            // gone meanwhile
        }
    }
}
