package io.jpm.daemon;

import io.jpm.protocol.KernelRandom;
import io.jpm.protocol.Ownership;
import io.jpm.protocol.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.logging.Logger;

/** Files only the owner may read: tokens and daemon.json, written whole (temp file, then rename). */
final class Secrets {
    private static final Logger LOG = Logger.getLogger("jpm.daemon");

    private Secrets() {}

    /**
     * The token in {@code file}, created with 32 random bytes when missing. A token file that is not
     * the daemon's user's own regular file (a symbolic link, another user's file) is never adopted:
     * whoever put it there would know the token. It is replaced by a new one, and the log says so.
     * So is an empty one (a disk that filled during a write, a truncation): the caller holds the
     * home's lock, so no running daemon still checks the token it lost.
     */
    static String tokenIn(Path file) throws IOException {
        String problem = Ownership.homeFileProblem(file, Ownership.currentUid());
        if (problem != null) {
            LOG.warning(problem.replace("; remove it", "") + "; replaced by a new token");
        } else if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            String token = PrivateFiles.read(file).trim();
            if (!token.isEmpty()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                return token;
            }
            LOG.warning(file + " was empty: replaced by a new token");
        }
        byte[] bytes = KernelRandom.bytes(32);
        String token = HexFormat.of().formatHex(bytes);
        writePrivate(file, token + "\n");
        return token;
    }

    /** Writes {@code text} to a 0600 temp file beside {@code file}, then renames it into place. */
    static void writePrivate(Path file, String text) throws IOException {
        PrivateFiles.replace(file, text);
    }
}
