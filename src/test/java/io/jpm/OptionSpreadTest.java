package io.jpm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An option acts from its declaration (issue 66): the generic paths (flags and help, parsing, the
 * pm2_env view, describe's rows, env's lines, the daemon's defaults) read its AppOption entry, so
 * its name is spelled only where it is declared and where something acts on it. The two options
 * that were spread widest (kill_timeout in 28 files of src/main, max_memory_restart in 13) are
 * counted, every spelling, code and comments alike; a generic path that lists them by hand again
 * fails here.
 */
class OptionSpreadTest {
    private static final int MOST_FILES = 8;

    @Test
    void killTimeoutIsNamedInFewFiles() throws IOException {
        assertFew("kill_timeout", "killtimeout");
    }

    @Test
    void maxMemoryRestartIsNamedInFewFiles() throws IOException {
        assertFew("max_memory_restart", "maxmemoryrestart");
    }

    /** Fails when more than {@link #MOST_FILES} files of src/main name the option in any of {@code spellings} (lower case). */
    private static void assertFew(String... spellings) throws IOException {
        List<Path> naming = filesNaming(spellings);
        assertTrue(
                naming.size() <= MOST_FILES,
                spellings[0] + " is named in " + naming.size() + " files of src/main (at most " + MOST_FILES
                        + "): make the generic path read the AppOption entry instead: " + naming);
    }

    private static List<Path> filesNaming(String... spellings) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src", "main"))) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> names(f, spellings))
                    .sorted()
                    .toList();
        }
    }

    private static boolean names(Path file, String... spellings) {
        String text;
        try {
            text = Files.readString(file).toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            return false; // not text (an image, an archive): it names nothing
        }
        for (String spelling : spellings) {
            if (text.contains(spelling)) {
                return true;
            }
        }
        return false;
    }
}
