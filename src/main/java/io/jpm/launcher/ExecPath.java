package io.jpm.launcher;

import io.jpm.protocol.BlockingCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the file a command word names, as execvp(3) would in the child: glibc's posix_spawnp
 * searches the daemon's PATH, but an app's command is looked up in the app's own environment (its
 * {@code env} may set PATH), as it was when {@code env} exec'd it.
 */
final class ExecPath {
    /** execvp's search path when the environment has no PATH. */
    static final String DEFAULT_PATH = "/bin:/usr/bin";

    private ExecPath() {}

    /**
     * The path to exec for {@code word}: itself when it holds a '/' (a relative one is taken from the
     * child's folder, as the kernel will), else the first executable regular file named so in
     * {@code pathVariable}'s folders.
     *
     * @throws IOException when there is none, or none that may be run
     */
    static String resolve(String word, String pathVariable, Path cwd) throws IOException {
        BlockingCall.check("a look for " + word + " on PATH");
        if (word.contains("/")) {
            return word;
        }
        String search = pathVariable != null ? pathVariable : DEFAULT_PATH;
        boolean denied = false;
        for (String dir : search.split(":", -1)) {
            Path candidate = cwd.resolve(dir.isEmpty() ? "." : dir).resolve(word);
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
                denied = true;
            }
        }
        throw new IOException("cannot run " + word + ": " + LibC.strerror(denied ? LibC.EACCES : LibC.ENOENT)
                + " (searched PATH=" + search + ")");
    }
}
