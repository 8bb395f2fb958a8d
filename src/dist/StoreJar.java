import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * {@code java StoreJar.java IN OUT [IN OUT]...}: copies each jar with its entries stored instead of
 * deflated, in the same order, with the same names and times, and the file's own time (build.sh, for
 * the release: the archive's compressor then sees the classes themselves). Streamed entry by entry:
 * 5 times quicker than extracting 30,000 files with the jar tool and packing them again.
 */
public final class StoreJar {
    private StoreJar() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 0 || args.length % 2 != 0) {
            System.err.println("usage: java StoreJar.java IN OUT [IN OUT]...");
            System.exit(2);
        }
        for (int i = 0; i < args.length; i += 2) {
            copy(Path.of(args[i]), Path.of(args[i + 1]));
        }
    }

    private static void copy(Path in, Path out) throws IOException {
        try (ZipInputStream from = new ZipInputStream(new BufferedInputStream(Files.newInputStream(in), 1 << 16));
                ZipOutputStream to =
                        new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(out), 1 << 16))) {
            CRC32 crc = new CRC32();
            for (ZipEntry entry; (entry = from.getNextEntry()) != null; ) {
                // a stored entry's size and CRC come before its bytes: each is read whole first
                byte[] data = from.readAllBytes();
                crc.reset();
                crc.update(data);
                ZipEntry stored = new ZipEntry(entry.getName());
                stored.setTime(entry.getTime());
                stored.setMethod(ZipEntry.STORED);
                stored.setSize(data.length);
                stored.setCompressedSize(data.length);
                stored.setCrc(crc.getValue());
                to.putNextEntry(stored);
                to.write(data);
                to.closeEntry();
            }
        }
        Files.setLastModifiedTime(out, Files.getLastModifiedTime(in));
    }
}
