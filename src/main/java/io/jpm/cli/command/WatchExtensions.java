package io.jpm.cli.command;

import io.jpm.cli.CliException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * pm2's {@code start --ext js,json}: watch only files with those extensions. pm2 does it in its
 * CLI (API/Modules/flagExt.js), and so does jpm, the same way: every file under the current
 * folder (node_modules left out) whose name has none of the extensions becomes an ignore_watch
 * entry. Like pm2's, the list is made once: a file created later is watched whatever its extension.
 */
final class WatchExtensions {
    private WatchExtensions() {}

    static List<String> ignoreAllBut(String extensions, Path folder) throws IOException {
        List<String> wanted = new ArrayList<>();
        for (String ext : extensions.split(",")) {
            String e = ext.strip();
            if (e.isEmpty() || e.contains("/")) {
                throw CliException.usage(
                        "--ext expects extensions separated by commas (js,json), got '" + extensions + "'");
            }
            wanted.add("." + (e.startsWith(".") ? e.substring(1) : e));
        }
        List<String> ignored = new ArrayList<>();
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.toString().contains("node_modules")
                        ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String name = file.getFileName().toString();
                if (wanted.stream().noneMatch(name::endsWith)) {
                    ignored.add(file.toAbsolutePath().toString());
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // pm2 skips what it may not read
            }
        });
        return ignored;
    }
}
