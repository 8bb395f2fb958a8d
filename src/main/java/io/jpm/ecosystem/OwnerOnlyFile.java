package io.jpm.ecosystem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file of JPM_HOME written whole: a fresh temp file beside it, readable by its owner only (module
 * configuration holds apps' secrets), renamed over it. The rename replaces a symbolic link at that
 * name rather than writing where it points, and a reader sees the old text or the new, never half.
 */
final class OwnerOnlyFile {
  private OwnerOnlyFile() {}

  static void write(Path file, String text) throws IOException {
    Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
