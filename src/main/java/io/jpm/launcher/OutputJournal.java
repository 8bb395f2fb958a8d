package io.jpm.launcher;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.jpm.process.ProcessLauncher.Adoption;
import io.jpm.process.ProcessLauncher.DescriptorKeeper;
import io.jpm.protocol.StreamJournal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;

/**
 * One stream's output journal: a memory file (memfd) the launcher splices the app's pipe into, and
 * reads back from, so that no byte leaves the pipe without being in a file the keeper holds. The
 * LogAggregator says how far the stream is in its log files ({@link StreamJournal#written}); a
 * daemon killed at any instant leaves the rest here, and the next one writes it first
 * (docs/ARCHITECTURE.md, "The keeper").
 *
 * <p>Why a file and splice rather than a ring in memory: a read(2) from the pipe and the store
 * that records it are two steps, and a SIGKILL between them loses what the read took. splice moves
 * the bytes and the file's position in one system call, and the position lives in the open file the
 * keeper shares: the next daemon reads it with lseek. What the log files already have is punched out
 * of the memory file, so it costs what is in flight, not what went through.
 *
 * <p>The file: a header (the stream's position in its log files, and the write in progress with the
 * sizes of its files before it; from {@link #TARGETS_AT}, where and how its lines go, which the
 * keeper reads to write them itself while no daemon runs), then the stream's bytes from
 * {@link #DATA} on.
 *
 * <p>A little over ~300 lines: the file's format, what writes it and what reads it back at an
 * adoption are one piece and read best together.
 */
public final class OutputJournal implements StreamJournal {
    private static final Logger LOG = Logger.getLogger("jpm.launcher");
    /** Where the stream's bytes start: the header before it (two paths of up to 4 KiB each). */
    static final long DATA = 16 * 1024;

    private static final long MAGIC = 0x6a706d2d6a726e31L; // "jpm-jrn1"
    private static final int DONE_AT = 8;
    private static final int RECORD_AT = 16;
    /**
     * Where and how the stream's lines go ({@link #describe}), as lines of text ended by a NUL: the
     * keeper's part of the header (jpm-keeper.pl reads it); the write record stays below it.
     */
    static final int TARGETS_AT = 8 * 1024;

    private static final int PAGE = 4096;
    /**
     * What the log files already have is given back page by page (one fallocate a write at most): a
     * quiet app's journal keeps a page or two, not what went through it (a thousand apps logging
     * slowly would otherwise pin their history in memory).
     */
    private static final long PUNCH_EVERY = PAGE;

    private final int fd;
    private final String key;
    private final DescriptorKeeper keeper;
    /** Bytes spliced in so far (the file's position less {@link #DATA}); the pump thread's. */
    private volatile long read;
    /** Bytes of the stream in the log files; the aggregator's. */
    private long done;
    /** Bytes the aggregator has taken since {@link #done}'s base: done = base + taken - held. */
    private long taken;

    private long punched;
    private boolean ended;
    private boolean closed;
    private final ByteBuffer word = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());

    private OutputJournal(int fd, String key, DescriptorKeeper keeper, long read, long done) {
        this.fd = fd;
        this.key = key;
        this.keeper = keeper;
        this.read = read;
        this.done = done;
        this.taken = done;
        this.punched = done & -PAGE;
    }

    /** Journals for a new run's stdout and stderr, with a keeper to hold them (else none: nulls). */
    static OutputJournal[] forNewRun(DescriptorKeeper keeper, int pid, long ticks) {
        if (keeper == DescriptorKeeper.NONE) {
            return new OutputJournal[2];
        }
        return new OutputJournal[] {
            create(DescriptorKeeper.journalKey("out", pid, ticks), keeper),
            create(DescriptorKeeper.journalKey("err", pid, ticks), keeper)
        };
    }

    /** The journals a previous daemon kept for an adopted run (new ones where it kept none). */
    static OutputJournal[] forAdoption(Adoption adoption, DescriptorKeeper keeper) {
        int pid = adoption.pid();
        OutputJournal[] journals = new OutputJournal[2];
        int[] fds = {adoption.outJournal(), adoption.errJournal()};
        String[] streams = {"out", "err"};
        for (int i = 0; i < 2; i++) {
            String key = DescriptorKeeper.journalKey(streams[i], pid, adoption.startTicks());
            if (fds[i] >= 0) {
                try {
                    journals[i] = inherited(fds[i], key, keeper);
                    continue;
                } catch (IOException e) {
                    LOG.warning(() -> "pid " + pid + ": " + e.getMessage() + "; a new journal instead");
                    Launchers.closeInherited(fds[i]);
                }
            }
            if (keeper != DescriptorKeeper.NONE) {
                journals[i] = create(key, keeper);
            }
        }
        return journals;
    }

    /**
     * A new journal for a stream, held with the keeper under {@code key}; null when none can be made
     * (no memfd: the stream is read as without a keeper, and the start says so).
     */
    static OutputJournal create(String key, DescriptorKeeper keeper) {
        int fd = LibC.memfd_create("jpm-" + key, LibC.MFD_CLOEXEC);
        if (fd < 0) {
            LOG.warning(() -> "no output journal for " + key + " (memfd_create: " + LibC.strerror(LibC.errno())
                    + "): output read at a daemon's death may be lost");
            return null;
        }
        OutputJournal journal = new OutputJournal(fd, key, keeper, 0, 0);
        if (LibC.lseek(fd, DATA, LibC.SEEK_SET) != DATA || !journal.store(0, MAGIC) || !journal.store(RECORD_AT, -1)) {
            LibC.close(fd);
            return null;
        }
        keeper.hold(key, fd);
        return journal;
    }

    /**
     * The journal a previous daemon kept for this stream, handed over as {@code fd}: a write it left
     * half done is cut back first (its files to their sizes before it), so what {@link #unwritten}
     * returns is written once.
     */
    static OutputJournal inherited(int fd, String key, DescriptorKeeper keeper) throws IOException {
        ByteBuffer header = ByteBuffer.allocate((int) DATA).order(ByteOrder.nativeOrder());
        long n = LibC.pread(fd, header.array(), DATA, 0);
        long position = LibC.lseek(fd, 0, LibC.SEEK_CUR);
        // a stream that never wrote has only the header's first words: the rest reads as zeros
        if (n < RECORD_AT + 8 || header.getLong(0) != MAGIC || position < DATA) {
            throw new IOException("descriptor " + fd + " handed over as " + key + " is no output journal");
        }
        long done = header.getLong(DONE_AT);
        long doneBefore = header.getLong(RECORD_AT);
        if (doneBefore >= 0 && doneBefore == done) {
            cutBack(header);
        }
        OutputJournal journal = new OutputJournal(fd, key, keeper, position - DATA, done);
        journal.store(RECORD_AT, -1);
        return journal;
    }

    /** The files of a write the previous daemon did not finish, back to their sizes before it. */
    private static void cutBack(ByteBuffer header) {
        int count = header.getInt(RECORD_AT + 8);
        int at = RECORD_AT + 12;
        for (int i = 0; i < count && i < 2; i++) {
            long size = header.getLong(at);
            int length = header.getInt(at + 8);
            if (length < 0 || at + 12 + length > DATA) {
                break; // not a record this launcher wrote
            }
            String path = new String(header.array(), at + 12, length, StandardCharsets.UTF_8);
            at += 12 + length;
            Path file = Path.of(path);
            try {
                if (size < 0 || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (FileChannel channel =
                        FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    // smaller: rotated or flushed since; the lines stay (at worst a few written twice)
                    if (channel.size() > size) {
                        channel.truncate(size);
                        LOG.info(() -> path + ": cut back to " + size + " bytes, the rest of a write a killed daemon"
                                + " did not finish (written again from its journal)");
                    }
                }
            } catch (IOException e) {
                LOG.warning(() -> "cannot cut " + path + " back after a killed daemon's write: " + e.getMessage());
            }
        }
    }

    /** The descriptor (a stream that never started still owns it until {@link #close}). */
    int fd() {
        return fd;
    }

    /**
     * Moves what the pipe holds (up to {@code max} bytes) into the journal and reads it back into
     * {@code into} (pump thread only).
     *
     * @return the bytes (position 0, limit = count), or null when the splice returned {@code rc} of 0
     *     (end of file) or an error; {@code rc[0]} tells which (0, or -errno)
     */
    ByteBuffer read(int pipe, ByteBuffer into, Pointer intoAddress, int max, long[] rc) {
        long n = LibC.splice(pipe, null, fd, null, max, LibC.SPLICE_F_NONBLOCK);
        if (n <= 0) {
            rc[0] = n == 0 ? 0 : -Native.getLastError();
            return null;
        }
        long at = read;
        read = at + n;
        long got = 0;
        while (got < n) {
            long r = LibC.pread(fd, intoAddress.share(got), n - got, DATA + at + got);
            if (r <= 0) {
                // the bytes are in the journal: the next daemon writes them; this one cannot read them
                rc[0] = -LibC.EIO;
                LOG.warning(() -> key + ": cannot read back " + n + " bytes from the output journal");
                return null;
            }
            got += r;
        }
        into.clear().limit((int) n);
        rc[0] = n;
        return into;
    }

    /** Whether the previous daemon left bytes here that its log files do not have. */
    synchronized boolean hasUnwritten() {
        return done < read;
    }

    /** What the previous daemon read and did not write, in order (read on adoption, before the pipe). */
    List<byte[]> unwritten() {
        List<byte[]> chunks = new ArrayList<>();
        long at;
        synchronized (this) {
            at = done;
        }
        while (at < read) {
            byte[] chunk = new byte[(int) Math.min(read - at, PipePump.BUFFER_BYTES)];
            long r = LibC.pread(fd, chunk, chunk.length, DATA + at);
            if (r <= 0) {
                LOG.warning(() -> key + ": cannot read back the output a killed daemon had not written");
                break;
            }
            chunks.add(r == chunk.length ? chunk : Arrays.copyOf(chunk, (int) r));
            at += r;
        }
        long count = at - done;
        if (count > 0) {
            LOG.info(() -> key + ": " + count + " byte(s) the previous daemon had read and not written: written now");
        }
        return chunks;
    }

    /** The pipe has ended (pump thread): the journal goes once the aggregator has written all of it. */
    synchronized void ended() {
        ended = true;
        closeIfDone();
    }

    @Override
    public synchronized void taken(int bytes) {
        taken += bytes;
    }

    @Override
    public synchronized void writing(List<Target> files) {
        if (closed) {
            return;
        }
        List<byte[]> paths = new ArrayList<>(2);
        int bytes = 12;
        for (Target file : files) {
            byte[] path = file.path().getBytes(StandardCharsets.UTF_8);
            if (paths.size() == 2 || bytes + 12 + path.length > TARGETS_AT - RECORD_AT) {
                break; // not recorded: cut back only what fits (the out file and log_file, 8 KiB together)
            }
            paths.add(path);
            bytes += 12 + path.length;
        }
        ByteBuffer record = ByteBuffer.allocate(bytes).order(ByteOrder.nativeOrder());
        record.putLong(done).putInt(paths.size());
        for (int i = 0; i < paths.size(); i++) {
            record.putLong(files.get(i).size()).putInt(paths.get(i).length).put(paths.get(i));
        }
        LibC.pwrite(fd, record.array(), record.position(), RECORD_AT);
    }

    /**
     * Where the stream's lines go, for the keeper: {@code file <path>} for each file, {@code date
     * <format>}, {@code json}, {@code stream}, {@code pm_id} and {@code app} lines, each value
     * percent-encoded (a path may hold a space or a newline). Not written when it does not fit: the
     * keeper then leaves the stream in its pipe for the next daemon, as before.
     */
    @Override
    public synchronized void describe(Targets targets) {
        if (closed) {
            return;
        }
        byte[] bytes = targets.keeperText().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > DATA - TARGETS_AT) {
            bytes = new byte[] {0};
            LOG.info(() -> key + ": its log paths are too long for the keeper to write its lines while no daemon runs");
        }
        LibC.pwrite(fd, bytes, bytes.length, TARGETS_AT);
    }

    @Override
    public synchronized void written(int held) {
        if (closed) {
            return;
        }
        done = Math.max(done, taken - held);
        store(DONE_AT, done); // first: a record still there then says the write was finished
        store(RECORD_AT, -1);
        if (done - punched >= PUNCH_EVERY) {
            long upTo = done & -PAGE;
            LibC.fallocate(fd, LibC.FALLOC_FL_PUNCH_HOLE | LibC.FALLOC_FL_KEEP_SIZE, DATA + punched, upTo - punched);
            punched = upTo;
        }
        closeIfDone();
    }

    /** Given up bytes count as written: an unfinished line held before them is not written again either. */
    @Override
    public synchronized void skipped(int bytes) {
        taken += bytes;
        written(0);
    }

    private void closeIfDone() {
        if (ended && !closed && done >= read) {
            close();
        }
    }

    /** Lets the journal go: this daemon's descriptor and the keeper's. */
    synchronized void close() {
        if (!closed) {
            closed = true;
            keeper.release(key);
            LibC.close(fd);
        }
    }

    private boolean store(int offset, long value) {
        word.clear();
        word.putLong(0, value);
        return LibC.pwrite(fd, word.array(), 8, offset) == 8;
    }
}
