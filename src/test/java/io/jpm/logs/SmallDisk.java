package io.jpm.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A disk that holds {@link #capacity} bytes of the log files opened on it ({@link LogFile.Opener}),
 * and fails as a full Linux disk does: a write that does not fit puts on disk what fits and
 * returns that count (a short write); the next one fails with "No space left on device".
 * Truncating or deleting a file frees its room; raising the capacity frees room too.
 */
final class SmallDisk implements LogFile.Opener {
    long capacity;
    /** Writes refused for want of room. */
    int refused;

    private final Set<Path> files = new LinkedHashSet<>();

    SmallDisk(long capacity) {
        this.capacity = capacity;
    }

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        files.add(path);
        return new Channel(FileChannel.open(path, options));
    }

    private long used() throws IOException {
        long used = 0;
        for (Path file : files) {
            used += Files.exists(file) ? Files.size(file) : 0;
        }
        return used;
    }

    private final class Channel extends FileChannel {
        private final FileChannel file;

        Channel(FileChannel file) {
            this.file = file;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long room = capacity - used();
            if (room <= 0) {
                refused++;
                throw new IOException("No space left on device");
            }
            long asked = 0;
            for (int i = offset; i < offset + length; i++) {
                asked += srcs[i].remaining();
            }
            ByteBuffer fits = ByteBuffer.allocate((int) Math.min(room, asked));
            for (int i = offset; i < offset + length && fits.hasRemaining(); i++) {
                ByteBuffer src = srcs[i];
                int n = Math.min(src.remaining(), fits.remaining());
                fits.put(src.slice(src.position(), n));
                src.position(src.position() + n);
            }
            fits.flip();
            int written = fits.remaining();
            while (fits.hasRemaining()) {
                file.write(fits);
            }
            return written;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return (int) write(new ByteBuffer[] {src}, 0, 1);
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            file.truncate(size);
            return this;
        }

        @Override
        public long position() throws IOException {
            return file.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            file.position(newPosition);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            file.force(metaData);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
        }

        // not used by LogFile

        @Override
        public int read(ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(ByteBuffer dst, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int write(ByteBuffer src, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }
    }
}
