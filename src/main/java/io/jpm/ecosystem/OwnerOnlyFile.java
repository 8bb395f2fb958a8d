package io.jpm.ecosystem;

import io.jpm.protocol.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A file of JPM_HOME written whole: a fresh temp file beside it, readable by its owner only (module
 * configuration holds apps' secrets), renamed over it. The rename replaces a symbolic link at that
 * name rather than writing where it points, and a reader sees the old text or the new, never half.
 */
final class OwnerOnlyFile {
    private OwnerOnlyFile() {}

    static void write(Path file, String text) throws IOException {
        PrivateFiles.replace(file, text);
    }
}
