package io.jpm.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Files only the owner may read: tokens and daemon.json, written whole (temp file, then rename). */
final class Secrets {
  private Secrets() {}

  /** The token in {@code file}, created with 32 random bytes when missing. */
  static String tokenIn(Path file) throws IOException {
    if (Files.isRegularFile(file)) {
      String token = Files.readString(file).trim();
      if (!token.isEmpty()) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return token;
      }
    }
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    String token = HexFormat.of().formatHex(bytes);
    writePrivate(file, token + "\n");
    return token;
  }

  /** Writes {@code text} to a 0600 temp file beside {@code file}, then renames it into place. */
  static void writePrivate(Path file, String text) throws IOException {
    Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(temp, text);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
