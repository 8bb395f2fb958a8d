package io.jpm.cli.command;

import io.jpm.cli.transport.Session;
import io.jpm.protocol.EcosystemFileKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The line a start of an ecosystem file prints about hot reload: a pm2 user does not expect a save
 * of the file to restart its apps (pm2 applies nothing until a restart or reload), so the start
 * says that jpm does and how to turn it off. Not said when the file or jpm.json names {@code
 * hot_reload} already: whoever wrote it there knows.
 */
final class HotReloadNote {
    /** Larger files are not looked into: the line is then printed, which is all a miss costs. */
    private static final long LARGEST_READ = 1 << 20;

    private HotReloadNote() {}

    static void print(String file, Session session) {
        if (!EcosystemFileKind.isEcosystemFile(file)
                || mentionsHotReload(Path.of(file))
                || mentionsHotReload(session.home.settings())) {
            return;
        }
        session.out.println("[jpm] hot reload: a saved edit of " + file + " applies at once (pm2 waits for a"
                + " restart); turn it off with hot_reload: false beside apps in the file, or jpm set"
                + " ecosystem.hot_reload false");
    }

    private static boolean mentionsHotReload(Path file) {
        try {
            return Files.isRegularFile(file)
                    && Files.size(file) <= LARGEST_READ
                    && new String(Files.readAllBytes(file), StandardCharsets.UTF_8).contains("hot_reload");
        } catch (IOException e) {
            return false;
        }
    }
}
