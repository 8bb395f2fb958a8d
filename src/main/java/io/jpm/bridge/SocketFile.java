package io.jpm.bridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.logging.Logger;

/** The owner's Unix socket as a file in JPM_HOME: made owner-only once listening, removed at a clean stop. */
final class SocketFile {
    private static final Logger LOG = Logger.getLogger("jpm.bridge");

    private SocketFile() {}

    /** 0600, on the socket itself: a path that is no longer a socket (replaced meanwhile) is left alone. */
    static void ownerOnly(Path socket) {
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isOther()) {
                LOG.warning(() -> "bridge: " + socket + " is not the socket just made: left alone");
                return;
            }
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warning(() -> "bridge: cannot make " + socket + " owner-only: " + e.getMessage());
        }
    }

    /** A clean stop leaves no socket behind (a stale one is replaced at the next start anyway). */
    static void remove(String socket) {
        if (socket == null) {
            return;
        }
        try {
            Files.deleteIfExists(Path.of(socket));
        } catch (IOException e) {
            LOG.warning(() -> "bridge: cannot remove " + socket + ": " + e.getMessage());
        }
    }
}
