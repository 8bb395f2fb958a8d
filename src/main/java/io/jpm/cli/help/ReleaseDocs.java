package io.jpm.cli.help;

import io.jpm.protocol.Build;
import io.jpm.protocol.ProcessEnd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The release's generated documents, written at package time: {@code java -cp jpm.jar
 * io.jpm.cli.help.ReleaseDocs <folder>} writes {@code man/jpm.1}, {@code completion/jpm.bash},
 * {@code completion/_jpm} (zsh) and {@code completion/jpm.fish} under the folder, creating the
 * folders; each file is written under a temporary name and renamed, so a reader never sees half of
 * one. Exits 0, or 1 with one line on stderr. All of it comes from the verbs' Syntax tables.
 */
public final class ReleaseDocs {
    private ReleaseDocs() {}

    public static void main(String[] args) {
        if (args.length != 1 || args[0].isBlank()) {
            System.err.println("usage: java -cp jpm.jar io.jpm.cli.help.ReleaseDocs <output folder>");
            ProcessEnd.exit(ProcessEnd.Code.USAGE);
        }
        try {
            write(Path.of(args[0]));
        } catch (IOException | RuntimeException e) {
            System.err.println("jpm release docs: cannot write under " + args[0] + ": " + e);
            ProcessEnd.exit(ProcessEnd.Code.FAILURE);
        }
    }

    /** Each file by its path under the output folder. */
    public static Map<String, String> files(Build build) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("man/jpm.1", ManPage.text(build));
        files.put("completion/jpm.bash", BashCompletion.script(build.version()));
        files.put("completion/_jpm", ZshCompletion.script(build.version()));
        files.put("completion/jpm.fish", FishCompletion.script(build.version()));
        return files;
    }

    static void write(Path folder) throws IOException {
        for (Map.Entry<String, String> file : files(Build.current()).entrySet()) {
            writeWhole(folder.resolve(file.getKey()), file.getValue());
        }
    }

    /** Written beside the target under a temporary name, then renamed over it. */
    static void writeWhole(Path target, String text) throws IOException {
        Files.createDirectories(target.getParent());
        Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
