package io.jpm.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Who owns a path and who may write it, read with lstat (a symbolic link is judged itself, never
 * followed), and the rules jpm trusts a path by, each broken rule told in one line with its fix:
 * JPM_HOME and its files must be the process's user's (OpenSSH's and systemd's habit for their
 * private folders), and a file hot reload applies must be writable by no one else, nor sit in a
 * folder another user can write (sshd's StrictModes): whoever can write it could run commands as
 * the daemon's user.
 */
public final class Ownership {
    private static final int TYPE_MASK = 0170000;
    private static final int SYMLINK = 0120000;
    private static final int DIRECTORY = 0040000;
    private static final int REGULAR = 0100000;
    private static final int STICKY = 01000;
    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int ROOT = 0;

    private static volatile int currentUid = -1;

    private Ownership() {}

    /** What lstat says of a path: its owner and mode (type bits included). */
    public record Stat(int uid, int mode) {
        public boolean symlink() {
            return (mode & TYPE_MASK) == SYMLINK;
        }

        public boolean directory() {
            return (mode & TYPE_MASK) == DIRECTORY;
        }

        public boolean regular() {
            return (mode & TYPE_MASK) == REGULAR;
        }

        boolean writableByOthers() {
            return (mode & GROUP_OR_OTHER_WRITE) != 0;
        }

        String octal() {
            return String.format("%04o", mode & 07777);
        }
    }

    /** lstat: null when nothing is at {@code path} (not even a dangling link). */
    public static Stat lstat(Path path) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            return new Stat((Integer) a.get("uid"), (Integer) a.get("mode"));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** This process's effective uid, from /proc (the JDK has no call for it that the client could load cheaply). */
    public static int currentUid() {
        int uid = currentUid;
        if (uid < 0) {
            try {
                // "Uid:\treal\teffective\tsaved\tfs": the effective one, read without regex (no class the client would
                // not load anyway)
                String status = new String(Files.readAllBytes(Path.of("/proc/self/status")), StandardCharsets.US_ASCII);
                int at = status.indexOf("\nUid:");
                int realEnd = status.indexOf('\t', status.indexOf('\t', at) + 1);
                int effectiveEnd = status.indexOf('\t', realEnd + 1);
                uid = Integer.parseInt(
                        status.substring(realEnd + 1, effectiveEnd).trim());
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(
                        "cannot read this process's uid from /proc/self/status: " + e.getMessage(), e);
            }
            currentUid = uid;
        }
        return uid;
    }

    /**
     * Why the folder {@code dir} (JPM_HOME, or a folder of it: {@code what} names it) cannot be
     * trusted by user {@code uid}, in one line with the fix; null when it can (or is missing).
     */
    public static String folderProblem(String what, Path dir, int uid) throws IOException {
        String notPlain = notPlainProblem(what, dir);
        if (notPlain != null) {
            return notPlain;
        }
        Stat stat = lstat(dir);
        if (stat == null) {
            return null;
        }
        String fix = "remove it or choose another JPM_HOME";
        if (stat.symlink()) {
            return what + " " + dir + " is a symbolic link" + target(dir)
                    + ": jpm does not follow one there (its target may change under the daemon); set JPM_HOME to a real folder of yours";
        }
        if (!stat.directory()) {
            return what + " " + dir + " is not a folder: " + fix;
        }
        if (stat.uid() != uid) {
            return what + " " + dir + " is owned by uid " + stat.uid() + ", not by you (uid " + uid + "): " + fix;
        }
        if (stat.writableByOthers()) {
            return what + " " + dir + " is writable by its group or others (mode " + stat.octal()
                    + "): anyone who can write it" + " could plant the tokens; if what is in it is yours, chmod 700 "
                    + dir + ", else " + fix;
        }
        return null;
    }

    /**
     * Why {@code dir} is not a plain path, or null: after a link, {@code ..} is the parent of the
     * link's target, not the folder the path seems to name, and {@code link/.} the target itself,
     * past the link check ({@link JpmHome#fromEnvironment} leaves the dots out of JPM_HOME).
     */
    public static String notPlainProblem(String what, Path dir) {
        if (dir.equals(dir.normalize())) {
            return null;
        }
        return what + " " + dir + " has '.' or '..' in it: through a link it names another folder than it"
                + " seems to; set JPM_HOME to the folder itself";
    }

    /**
     * Why a file of JPM_HOME (a token, daemon.json) is not the user's own regular file, in one line;
     * null when it is, or is missing.
     */
    public static String homeFileProblem(Path file, int uid) throws IOException {
        Stat stat = lstat(file);
        if (stat == null) {
            return null;
        }
        if (stat.symlink()) {
            return file + " is a symbolic link" + target(file)
                    + ", not a file jpm wrote: jpm does not follow it; remove it";
        }
        if (!stat.regular()) {
            return file + " is not a regular file: remove it";
        }
        if (stat.uid() != uid) {
            return file + " is owned by uid " + stat.uid() + ", not by you (uid " + uid
                    + "): jpm does not use it; remove it";
        }
        return null;
    }

    /**
     * Why hot reload must not apply an edit of {@code file} for a daemon run by {@code uid}, in one
     * line with the fix (sshd's StrictModes): the file
     * (the link and where it leads) or a folder above it owned by another user than {@code uid} or
     * root, or writable by its group or others (a folder with the sticky bit, such as /tmp, excepted:
     * there others cannot replace the file). Null when none of that holds.
     */
    public static String strictModesProblem(Path file, int uid) throws IOException {
        Path given = file.toAbsolutePath();
        Stat link = lstat(given);
        if (link != null && link.symlink() && link.uid() != uid && link.uid() != ROOT) {
            return refusal(
                    given,
                    given + " is a symbolic link owned by uid " + link.uid(),
                    "replace it with a link or file of yours");
        }
        Path real = given.toRealPath();
        Stat stat = lstat(real);
        if (stat.uid() != uid && stat.uid() != ROOT) {
            return refusal(
                    given,
                    (real.equals(given) ? given : given + " (" + real + ")") + " is owned by uid " + stat.uid()
                            + ", not by the daemon's user (uid " + uid + ") or root",
                    "chown " + uid + " " + real);
        }
        if (stat.writableByOthers()) {
            return refusal(
                    given,
                    (real.equals(given) ? given : given + " (" + real + ")")
                            + " is writable by its group or others (mode " + stat.octal() + ")",
                    "chmod go-w " + real);
        }
        for (Path dir = real.getParent(); dir != null; dir = dir.getParent()) {
            Stat d = lstat(dir);
            if (d.uid() != uid && d.uid() != ROOT) {
                return refusal(
                        given,
                        "the folder " + dir + " above " + given + " is owned by uid " + d.uid()
                                + ", not by the daemon's user (uid " + uid + ") or root",
                        "move the file or chown the folder");
            }
            if (d.writableByOthers() && (d.mode() & STICKY) == 0) {
                return refusal(
                        given,
                        "the folder " + dir + " above " + given + " is writable by its group or others (mode "
                                + d.octal() + ")",
                        "chmod go-w " + dir);
            }
        }
        return null;
    }

    private static String refusal(Path file, String why, String fix) {
        return why + " (whoever can write " + file + " could run commands as the daemon's user): " + fix;
    }

    private static String target(Path link) {
        try {
            return " (to " + Files.readSymbolicLink(link) + ")";
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }
}
