package io.jpm.keeper;

import io.jpm.protocol.Build;
import io.jpm.protocol.JpmEnv;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a client starts the daemon under its keeper (jpm-keeper.pl, in this package's resources): the
 * script written into JPM_HOME from the jar that runs (so an upgraded jar brings its keeper with
 * it), run by the system's perl. Without perl, or with JPM_KEEPER=0, the daemon starts alone as
 * before, and says so (docs/ARCHITECTURE.md, "The keeper").
 */
public final class KeeperScript {
    private static final String RESOURCE = "jpm-keeper.pl";
    /** Beside keeper.pl: which jar wrote it, and the file as written ({@link #written}). */
    public static final String WRITTEN_FROM = ".written-from";

    private KeeperScript() {}

    /**
     * The command that runs {@code daemon} under a keeper: perl, the script written to JPM_HOME, then
     * the daemon's own command; empty when the keeper cannot or must not run.
     */
    public static Optional<List<String>> wrap(JpmHome home, List<String> daemon) throws IOException {
        return wrap(home, daemon, Build.jarStamp());
    }

    /** {@link #wrap(JpmHome, List)} as run from the jar {@code jar} names (path and time; null: not a jar). */
    static Optional<List<String>> wrap(JpmHome home, List<String> daemon, String jar) throws IOException {
        if (JpmEnv.KEEPER.off()) {
            return Optional.empty();
        }
        Optional<Path> perl = onPath("perl");
        if (perl.isEmpty()) {
            return Optional.empty();
        }
        Path file = home.keeperScript();
        Path writtenFrom = file.resolveSibling(file.getFileName() + WRITTEN_FROM);
        if (jar == null || !written(file, writtenFrom, jar)) {
            String text = script();
            if (!Files.isRegularFile(file) || !text.equals(Files.readString(file))) {
                PrivateFiles.replace(file, text);
            }
            if (jar != null) {
                PrivateFiles.replace(writtenFrom, stamp(file, jar));
            }
        }
        List<String> command = new ArrayList<>(List.of(perl.get().toString(), file.toString()));
        command.addAll(daemon);
        return Optional.of(command);
    }

    /**
     * Whether keeper.pl is the one this jar wrote, untouched since: the jar's path and time, and the
     * file's size and time, as noted beside it when it was written. Reading the script from the jar
     * to compare opened the jar, which a client whose classes all come from its archive never does
     * otherwise: ~6 ms of every first command, on the way to the spawn (docs/BENCHMARKS.md).
     */
    private static boolean written(Path file, Path writtenFrom, String jar) throws IOException {
        try {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    && stamp(file, jar).equals(PrivateFiles.read(writtenFrom));
        } catch (IOException e) {
            return false; // no note, or not one to read (a link): the jar's script is compared and written
        }
    }

    /** The note beside keeper.pl: the jar it was written from and the file as it was written. */
    private static String stamp(Path file, String jar) throws IOException {
        BasicFileAttributes written = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return jar + "\n" + written.size() + " " + written.lastModifiedTime().toMillis() + "\n";
    }

    /** The keeper script of this build (its jar's resource). */
    public static String script() throws IOException {
        try (InputStream in = KeeperScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the keeper's script " + RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Whether a daemon started with this PATH runs under a keeper: perl is there (JPM_KEEPER=0 aside).
     * {@code jpm startup}'s unit follows the keeper, not the daemon, when it does.
     */
    public static boolean perlOn(String path) {
        return onPath("perl", path).isPresent();
    }

    /** The first executable {@code name} in PATH's folders. */
    static Optional<Path> onPath(String name) {
        return onPath(name, System.getenv("PATH"));
    }

    private static Optional<Path> onPath(String name, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
