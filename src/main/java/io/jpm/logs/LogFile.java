package io.jpm.logs;

import io.jpm.config.LogRotationPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * One log file on disk, written by the LogAggregator's worker thread only (blocking I/O). Several
 * streams may share it (log_file, merged instances); each hands it whole lines, except a stream
 * whose line is too long to hold, which owns the file until that line ends ({@link #owner}).
 *
 * <p>Rotation renames: {@code f.log} becomes {@code f.log.1} (older ones shift to {@code .2}, ...,
 * the one beyond {@code retain} is deleted, {@code .gz} when compressed) and the next line opens a
 * new {@code f.log}. Only this thread writes, and it rotates between two lines, so nothing is lost
 * or doubled; pm2-logrotate's copy-then-truncate loses what the app writes in between.
 *
 * <p>A write the disk has no room for fails after putting what fitted on disk; the file is then cut
 * back to the end of its last whole line ({@link #keepWholeLines}), and the writer drops the rest:
 * a full disk loses the lines that came while it was full, never doubles or tears one.
 */
final class LogFile implements AutoCloseable {
    /** How a log file is opened: {@link FileChannel#open}, or in tests a channel on a disk that fills up. */
    interface Opener {
        FileChannel open(Path path, OpenOption... options) throws IOException;
    }

    private final Path path;
    private final boolean noFollow;
    private final Opener opener;
    private LogRotationPolicy policy;
    private FileChannel channel;
    private long size;
    /** Bytes written after the file's last newline: the start of a line not ended yet (a long line streamed through). */
    private long openLine;

    private long openedAt;
    /** The stream in the middle of an over-long line, or null: rotation waits for its end. */
    Object owner;

    LogFile(Path path, LogRotationPolicy policy) {
        this(path, policy, false);
    }

    /**
     * @param noFollow opened without following a symbolic link (O_NOFOLLOW): a file inside JPM_HOME,
     *     where a link can only have been planted; a path the user chose elsewhere may be a link of theirs
     */
    LogFile(Path path, LogRotationPolicy policy, boolean noFollow) {
        this(path, policy, noFollow, FileChannel::open);
    }

    LogFile(Path path, LogRotationPolicy policy, boolean noFollow, Opener opener) {
        this.path = path;
        this.policy = policy;
        this.noFollow = noFollow;
        this.opener = opener;
    }

    Path path() {
        return path;
    }

    /** Its size as this writer knows it (it is the only one appending), opening it first; -1 when it cannot be opened. */
    long size() {
        try {
            open();
            return size;
        } catch (IOException e) {
            return -1;
        }
    }

    void policy(LogRotationPolicy policy) {
        this.policy = policy;
    }

    /**
     * Appends every byte of the buffers (whole lines). When they would push the file past max_size,
     * the lines that fit go first, then the file is rotated and the rest goes to the new one, so a
     * file only passes max_size by a single line longer than that.
     */
    void write(ByteBuffer... buffers) throws IOException {
        long total = 0;
        for (ByteBuffer b : buffers) {
            total += b.remaining();
        }
        if (total == 0) {
            return;
        }
        open();
        if (owner == null
                && size > 0
                && policy.intervalMs() > 0
                && System.currentTimeMillis() - openedAt >= policy.intervalMs()) {
            rotate();
            open();
        }
        if (owner != null || size + total <= policy.maxSize()) {
            writeFully(total, buffers);
            return;
        }
        byte[] all = new byte[(int) total];
        int at = 0;
        for (ByteBuffer b : buffers) {
            int n = b.remaining();
            b.duplicate().get(all, at, n);
            at += n;
        }
        int pos = 0;
        while (pos < all.length) {
            long room = policy.maxSize() - size;
            int remaining = all.length - pos;
            if (remaining <= room) {
                writeFully(remaining, ByteBuffer.wrap(all, pos, remaining));
                break;
            }
            int cut = room > 0 ? Newlines.last(all, pos, pos + (int) room) : -1;
            if (cut < 0 && size > 0) {
                rotate(); // the next line does not fit: it starts the new file
                open();
                continue;
            }
            if (cut < 0) {
                // one line longer than max_size, in an empty file: written whole, never cut
                cut = Newlines.first(all, pos + (int) Math.max(0, room), all.length);
                cut = cut < 0 ? all.length - 1 : cut;
            }
            writeFully(cut + 1 - pos, ByteBuffer.wrap(all, pos, cut + 1 - pos));
            pos = cut + 1;
            if (pos < all.length) {
                rotate();
                open();
            }
        }
    }

    private void writeFully(long total, ByteBuffer... buffers) throws IOException {
        int[] starts = new int[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            starts[i] = buffers[i].position();
        }
        long written = 0;
        try {
            while (written < total) {
                written += channel.write(buffers);
            }
        } catch (IOException e) {
            keepWholeLines(Newlines.bytesAfterLast(buffers, starts, written), written, e);
            throw e;
        }
        size += total;
        long after = Newlines.bytesAfterLast(buffers, starts, total);
        openLine = after < 0 ? openLine + total : after;
    }

    /**
     * A write failed (a full disk) after putting {@code written} bytes on disk: the file is cut back
     * to the end of its last whole line, so that the next line starts a line of its own and what
     * the caller drops is not half there. A long line streamed through loses the part already on
     * disk with it. The caller never writes the same bytes again: the lines that reached the disk
     * stay there once.
     */
    private void keepWholeLines(long after, long written, IOException failure) {
        long cut = after < 0 ? openLine + written : after;
        openLine = 0;
        try {
            long end = channel.size();
            if (cut > 0) {
                channel.truncate(Math.max(0, end - cut));
            }
            size = channel.size();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private FileChannel open() throws IOException {
        if (channel == null) {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(folderMode(noFollow)));
            }
            create(path, fileMode(noFollow));
            channel = opener.open(
                    path, options(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
            size = channel.size();
            openLine = 0;
            openedAt = System.currentTimeMillis();
        }
        return channel;
    }

    /**
     * A file inside JPM_HOME is its owner's only (0600), as the home's other files, whatever the
     * umask; one at a path the user chose may be read by others, never written (0644 at most).
     */
    static Set<PosixFilePermission> fileMode(boolean insideHome) {
        return PosixFilePermissions.fromString(insideHome ? "rw-------" : "rw-r--r--");
    }

    static Set<PosixFilePermission> folderMode(boolean insideHome) {
        return PosixFilePermissions.fromString(insideHome ? "rwx------" : "rwxr-xr-x");
    }

    /**
     * Creates the file with {@code mode} (less the umask) when it is not there: the open that follows
     * would give it 0666 less the umask. O_EXCL: a link at the name is left as it is, for the open to refuse.
     */
    private static void create(Path file, Set<PosixFilePermission> mode) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(mode));
        } catch (FileAlreadyExistsException e) {
            // appended to, with the mode it has
        }
    }

    private OpenOption[] options(OpenOption... options) {
        if (!noFollow) {
            return options;
        }
        OpenOption[] all = Arrays.copyOf(options, options.length + 1);
        all[options.length] = LinkOption.NOFOLLOW_LINKS;
        return all;
    }

    /** Renames the file away (keeping retain of them) and starts a new one on the next write. */
    void rotate() throws IOException {
        close();
        int retain = policy.retain();
        for (String ext : new String[] {"", ".gz"}) {
            Files.deleteIfExists(rotated(retain, ext));
        }
        for (int i = retain - 1; i >= 1; i--) {
            for (String ext : new String[] {"", ".gz"}) {
                moveIfExists(rotated(i, ext), rotated(i + 1, ext));
            }
        }
        moveIfExists(path, rotated(1, ""));
        if (policy.compress()) {
            gzip(rotated(1, ""));
        }
    }

    Path rotated(int n, String ext) {
        return path.resolveSibling(path.getFileName() + "." + n + ext);
    }

    private static void moveIfExists(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            // nothing rotated that far yet
        }
    }

    /** Gzips to a temp file, renames it into place, then removes the plain copy: never half a file. */
    private static void gzip(Path file) throws IOException {
        Path gz = file.resolveSibling(file.getFileName() + ".gz");
        Path tmp = file.resolveSibling(file.getFileName() + ".gz.tmp");
        // a fresh file (O_EXCL) at a name jpm makes: whatever was left there, a link included, is removed, never
        // written through
        Files.deleteIfExists(tmp);
        // the log's own mode, so a rotated file is no more open than the one it was
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(Files.getPosixFilePermissions(file)));
        try (InputStream in = Files.newInputStream(file);
                OutputStream out = new GZIPOutputStream(
                        Files.newOutputStream(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), 64 * 1024)) {
            in.transferTo(out);
        }
        Files.move(tmp, gz, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.delete(file);
    }

    /** pm2's flush: the file is emptied; it stays open, and the next line goes at its start. */
    void truncate() throws IOException {
        if (channel != null) {
            channel.truncate(0);
            size = 0;
            openLine = 0;
        } else if (Files.isRegularFile(path)) {
            try (FileChannel ch = FileChannel.open(path, options(StandardOpenOption.WRITE))) {
                ch.truncate(0);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
