package io.jpm.cli.command;

import io.jpm.protocol.JpmHome;
import io.jpm.protocol.PrivateFiles;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The OpenTelemetry packages a traced Node app loads (jpm's preload jpm-otel.js), as pm2's
 * OtelManager installs them: with npm, on the CLI's side, into an npm prefix of JPM_HOME's own
 * ({@link JpmHome#otel}, 0700 in the 0700 home) where pm2 uses its own install folder. A lock file
 * beside it keeps two CLIs (two {@code start --trace} at once) from running npm into one folder.
 */
final class OtelPackages {
    /**
     * pm2's list, and the OTLP/HTTP exporter the SDK picks by default (a dependency of sdk-node,
     * named so node finds it at the top of node_modules whatever npm's layout).
     */
    static final List<String> PACKAGES = List.of(
            "@opentelemetry/api",
            "@opentelemetry/sdk-node",
            "@opentelemetry/auto-instrumentations-node",
            "@opentelemetry/core",
            "@opentelemetry/sdk-trace-base",
            "@opentelemetry/semantic-conventions",
            "@opentelemetry/exporter-trace-otlp-http");

    private final JpmHome home;
    private final Path dir;
    private final Path lock;

    OtelPackages(JpmHome home) {
        this.home = home;
        this.dir = home.otel();
        this.lock = home.root().resolve("otel.lock");
    }

    /** Where they go (JPM_HOME/otel). */
    Path dir() {
        return dir;
    }

    /** Whether the SDK is there: what the preload resolves first. */
    boolean installed() {
        return Files.isRegularFile(dir.resolve("node_modules/@opentelemetry/sdk-node/package.json"));
    }

    /**
     * Installs them unless another CLI did meanwhile; npm's own output goes to this CLI's. Returns
     * false when they were there already.
     *
     * @throws IOException npm is missing or failed; the message says which
     */
    boolean install(PrintStream out) throws IOException {
        PrivateFiles.makeHome(home); // install-otel may come before any daemon made it
        try (FileChannel held = lockFile();
                FileLock ignored = held.lock()) {
            if (installed()) {
                return false;
            }
            PrivateFiles.makeFolder(dir);
            out.println("[jpm] Installing OpenTelemetry tracing packages into " + dir + "...");
            out.flush();
            List<String> command = new ArrayList<>(List.of(
                    "npm",
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--update-notifier=false",
                    "--loglevel=error",
                    "--prefix",
                    dir.toString()));
            command.addAll(PACKAGES);
            int code = npm(command);
            if (code != 0 || !installed()) {
                deleteTree(); // half an install would pass for one at the next start
                throw new IOException("npm install exited with code " + code);
            }
            out.println("[jpm] OpenTelemetry tracing packages installed successfully");
            return true;
        }
    }

    /** Removes them (the folder is jpm's alone, so no npm is needed); false when there was nothing. */
    boolean remove(PrintStream out) throws IOException {
        if (!Files.exists(dir)) {
            return false; // nothing to lock for either: the home may not exist yet
        }
        try (FileChannel held = lockFile();
                FileLock ignored = held.lock()) {
            if (!Files.exists(dir)) {
                return false;
            }
            out.println("[jpm] Removing OpenTelemetry tracing packages from " + dir + "...");
            deleteTree();
            out.println("[jpm] OpenTelemetry tracing packages removed");
            return true;
        }
    }

    /** The folder and all in it; its links (node_modules/.bin) are removed, not followed. */
    private void deleteTree() throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private FileChannel lockFile() throws IOException {
        return FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    private int npm(List<String> command) throws IOException {
        Process npm;
        try {
            npm = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .inheritIO()
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            deleteTree();
            throw new IOException("npm is required to install OpenTelemetry packages (" + e.getMessage() + ")");
        }
        try {
            return npm.waitFor();
        } catch (InterruptedException e) {
            npm.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while npm installed");
        }
    }
}
