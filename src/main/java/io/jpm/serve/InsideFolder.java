package io.jpm.serve;

import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Keeps what is served inside the served folder when the folder holds symlinks: StaticHandler
 * removes {@code ..} but follows a link wherever it points ({@code site/t -> ~/.ssh} served a key).
 * A request is let through when the real location of the file it names (every link resolved, by
 * {@link Path#toRealPath}) is inside the real location of the folder, and so is the
 * {@code index.html} a folder's request would serve; else it answers what a missing file answers,
 * 404, which says nothing of what the link points to. Links that stay inside (a {@code current ->
 * releases/v2} layout) are served. The checks are a few stats of files the page cache holds, made
 * on the event loop.
 *
 * <p>The check and StaticHandler's read are two lookups of the path: a file swapped for a link in
 * between, by someone who can write in the served folder, is followed. Whoever can write there
 * already decides what is served; the check is against links left in a folder, not against a race
 * by its writers (docs/SECURITY.md).
 */
final class InsideFolder {
    private final Path root;

    /** @param folder the served folder, which exists (ServeOptions checked it) */
    InsideFolder(Path folder) throws IOException {
        this.root = folder.toRealPath();
    }

    /** The file a request names, found as StaticHandler finds it: decoded, dot segments removed, under the folder. */
    Path fileOf(RoutingContext context) {
        String decoded = URLDecoder.decode(context.normalizedPath().replace("+", "%2B"), StandardCharsets.UTF_8);
        String relative = decoded.replace('\\', '/').replaceAll("^/+", "");
        return inFolder(relative);
    }

    /** A file of the folder by its name there. */
    Path inFolder(String relative) {
        return root.resolve(relative).normalize();
    }

    /**
     * Whether {@code file}'s real location is inside the folder. What does not exist (or a dangling
     * link) passes: StaticHandler answers it with 404 itself.
     */
    boolean allows(Path file) {
        if (!file.startsWith(root)) {
            return true; // StaticHandler refuses what its own dot removal puts outside
        }
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(root)) {
                return false;
            }
            Path index = real.resolve("index.html");
            return !Files.isDirectory(real)
                    || !Files.exists(index, LinkOption.NOFOLLOW_LINKS)
                    || index.toRealPath().startsWith(root);
        } catch (IOException e) {
            return true;
        }
    }
}
