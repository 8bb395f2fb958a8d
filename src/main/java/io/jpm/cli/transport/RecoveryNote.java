package io.jpm.cli.transport;

import io.jpm.protocol.JpmHome;
import io.jpm.protocol.PrivateFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The daemon's note on an adoption that did not go as planned (a damaged record, leftovers
 * stopped that nothing restarts: {@link JpmHome#recoveryNote()}), printed on stderr by the first
 * command that reaches the daemon after it, then removed. The note is taken by a rename first, so
 * two commands run at once never both print it.
 */
final class RecoveryNote {
    private RecoveryNote() {}

    static void showOnce(JpmHome home, PrintStream err) {
        Path note = home.recoveryNote();
        if (!Files.exists(note)) {
            return; // the usual case, seen without the pid below (ProcessHandle's start-up costs ~3 ms)
        }
        Path taken = note.resolveSibling(
                "." + note.getFileName() + "." + ProcessHandle.current().pid());
        try {
            Files.move(note, taken, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            return; // none (the usual case), or another command took it
        }
        try {
            PrivateFiles.read(taken).lines().forEach(line -> err.println("[jpm] " + line));
            Files.deleteIfExists(taken);
        } catch (IOException e) {
            err.println("[jpm] the daemon left a note on its adoption of the previous daemon's apps in " + taken + ": "
                    + e.getMessage());
        }
    }
}
